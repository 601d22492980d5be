# Sourced by scripts/demo, test, bench and fuzz: `install_env ENV` makes .venv hold exactly
# requirements/ENV.txt (a lock with hashes, written by scripts/lock) plus artconv itself.
#
# The locks are installed with pip's --require-hashes and --no-deps, so a fresh machine gets the
# very files CI got, whatever PyPI serves that day. When any lock changes, .venv is rebuilt from
# scratch: pip only adds, and a package left from an older lock would hide a missing pin.
# artconv is installed editable with --no-build-isolation, so its build backend (setuptools) is
# the locked one too instead of whatever a build environment would download.

install_env() {
    local env=$1 stamp
    stamp=$(cat requirements/*.txt | python3 -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
    if [ ! -x .venv/bin/python ] || [ "$(cat .venv/artconv-locks.sha256 2>/dev/null)" != "$stamp" ]; then
        rm -rf .venv
        python3 -m venv .venv
        echo "$stamp" > .venv/artconv-locks.sha256
    fi
    _pip install --require-hashes --no-deps -r "requirements/$env.txt"
    _pip install --no-deps --no-build-isolation -e .
    # An editable install leaves artconv's own modules uncompiled, and where PYTHONDONTWRITEBYTECODE
    # is set (as on CI) every `artconv` process would compile all of them again: about 0.1 s of
    # CPU each, hundreds of times in the suite. Compiling once here only writes __pycache__.
    .venv/bin/python -m compileall -q src
}

# pip, quiet; a machine whose pip.conf names local indexes that are not there warns once per
# package about each, which buries the test output: those lines (and only those) are dropped.
_pip() {
    .venv/bin/python -m pip --quiet --disable-pip-version-check "$@" 2> >(grep -v "^WARNING: Location '.*' is ignored" >&2)
}
