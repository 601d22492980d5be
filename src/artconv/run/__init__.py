"""Running a command over many files: discovery, the worker pool, progress, the summary line and
the exit code, for `convert` and `lint` alike."""
