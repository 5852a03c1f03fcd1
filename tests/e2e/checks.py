"""The one pass/fail helper of the end-to-end tests: every Python test script records its checks here
and exits with summary().

    from checks import check, summary
    check("a node group", nodegroups == ["web"], nodegroups)   # name, condition, what was seen
    sys.exit(summary())
"""
import time

results = {"passed": 0, "failed": 0}
counting = [True]  # set counting[0] = False to run the same checks uncounted (a script pointed at moto)


def check(name, ok, detail=""):
    """Records one check (name first, then the condition); prints failures with what was seen (cut to 700
    characters). Returns the condition."""
    if not counting[0]:
        return ok
    results["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"  -- {str(detail)[:700]}"))
    return ok


def check_quiet(name, ok, detail=""):
    """A check inside a loop: recorded (and printed) only when it fails."""
    return True if ok else check(name, ok, detail)


def skip(name, why):
    """A check that cannot run here (a missing tool), said in one line; counts as neither."""
    print(f"skip {name}  -- {why}")


def summary(started_s=None):
    """Prints the time taken (when given a start) and "N passed, M failed"; returns the exit code."""
    if started_s is not None:
        print(f"(took {time.time() - started_s:.1f} s)")
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0
