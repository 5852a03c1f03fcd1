"""The AWS CLI (v1, the installed `awscli` package, unmodified) for the tests: `run(env, args)` gives
what `aws ARGS...` would (exit code, stdout, stderr).

By default the CLI's own driver runs inside the test's process: `awscli.clidriver` is the code the
`aws` command runs, so the request it sends and the parsing of our answer are the same. Each call gets
a new driver (customisations register event handlers while a command runs; a reused driver would
carry them into the next call), sharing only botocore's loader of the JSON service models, which
never change. That saves Python's start-up and the models' parsing: about 0.2 s a call instead of
about 1 s, for test files with a few hundred calls.
MIGSIM_AWS_CLI=process runs one `aws` process per call instead (the way a shell script would), and so
does a call with --debug (the driver attaches a logging handler that would outlive the call).
protocols=("smithy-rpc-v2-cbor",) narrows the protocols botocore may choose from, for the call only.

Calls are serialised (the driver writes to sys.stdout / sys.stderr, which are redirected for the call)
and the environment the CLI reads (credentials, region, retries, pager) is set for the call only.
"""
import contextlib
import io
import os
import subprocess
import sys
import threading

_lock = threading.Lock()
_loader = None


@contextlib.contextmanager
def _environment(env):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _protocols(protocols):
    import botocore.model
    saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    if protocols:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = tuple(protocols)
    try:
        yield
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved


def _in_process(env, args, protocols):
    global _loader
    out, err = io.StringIO(), io.StringIO()
    with _lock, _environment(env), _protocols(protocols), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        from awscli.clidriver import create_clidriver
        driver = create_clidriver()
        if _loader is None:
            _loader = driver.session.get_component("data_loader")
        else:
            driver.session.register_component("data_loader", _loader)
        try:
            rc = driver.main(list(args))
        except SystemExit as e:  # argparse errors exit
            rc = e.code if isinstance(e.code, int) else 255
    return rc, out.getvalue(), err.getvalue()


def run(env, args, timeout_s=120, protocols=None):
    """(exit code, stdout, stderr) of `aws ARGS...` with environment ENV."""
    if os.environ.get("MIGSIM_AWS_CLI") == "process" or "--debug" in args:
        head = ["aws"]
        if protocols:
            head = [sys.executable, "-c", "import sys, botocore.model; botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS"
                    f" = {tuple(protocols)!r}; import awscli.clidriver; sys.exit(awscli.clidriver.main())"]
        p = subprocess.run([*head, *args], capture_output=True, text=True, env=env, timeout=timeout_s)
        return p.returncode, p.stdout, p.stderr
    return _in_process(env, args, protocols)
