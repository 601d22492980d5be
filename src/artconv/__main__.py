"""`python -m artconv`: the same command line as the `artconv` script."""

from artconv.cli import main

main()
