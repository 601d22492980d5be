"""`python -m artconv`: the same command line as the `artconv` script."""

from artconv.entry import main

main()
