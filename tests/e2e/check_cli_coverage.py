#!/usr/bin/env python3
"""Fails when an operation of harness/COVERAGE.md is not driven by the AWS CLI in some test.

Usage: python3 tests/e2e/check_cli_coverage.py [REPO_ROOT]       checks the repository (ctest runs this)
       python3 tests/e2e/check_cli_coverage.py --self-test       checks the checker on made-up files

An operation counts as covered when a test calls `aws ... SERVICE OPERATION` with SERVICE the CLI's
name for the service (the COVERAGE.md name; S3 through `aws s3api`, not the high-level `aws s3`) and
OPERATION the operation's CLI name (botocore's xform_name(name, "-"): ListObjectsV2 ->
list-objects-v2, DescribeDBInstances -> describe-db-instances). Calls are found in
tests/e2e/*.sh and tests/e2e/**/*.py:
  - shell: `aws`, or a shell function whose body runs `aws`, in command position (start of a line
    or after `$(`, `|`, `;`, `&&`, `(`), then options, then SERVICE OPERATION; a quoted label such as
    "route53 get-change" does not count.
  - python: a call to subprocess.run/Popen/check_output/check_call/call (or os.system) whose
    arguments spell `aws` or `--endpoint-url` (lists, tuples, `+`, `*args`, f-strings, and names
    bound to such literals in the file, the nearest binding above the use, or in another scanned
    file, are followed), or a call to a wrapper: a function (in any of these files) that
    hands its *args or a list parameter on to such a call, or to another wrapper, like
    `cli(port, "sns", "publish", ...)` or `srv.cli("elbv2", ...)`, or through a name bound to a
    wrapper (`c = srv.cli; c("kms", "create-key")`). SERVICE OPERATION are the first
    two words of the call's arguments that name a CLI service and a kebab-case operation.
Prints the operations per service and the missing ones; exits 1 when any is missing.
"""
import ast
import glob
import os
import re
import shlex
import sys
import tempfile

try:
    from botocore import xform_name
except ImportError:  # the same rule as botocore's, for the names migsim implements
    def xform_name(name, sep="_"):
        s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1" + sep + r"\2", name)
        s = re.sub(r"([a-z0-9])([A-Z])", r"\1" + sep + r"\2", s)
        return s.lower()

CLI_SERVICE = {"s3": "s3api"}  # COVERAGE.md service -> AWS CLI command, where they differ
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SUBPROCESS = {"run", "Popen", "check_output", "check_call", "call", "system", "popen"}
HOLE = "\0"  # a word the checker cannot read (an expression)


def coverage_ops(path):
    """(CLI service, CLI operation) -> "service Operation" for every row of COVERAGE.md's table."""
    ops = {}
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and re.fullmatch(r"[a-z0-9-]+", cells[0]) and re.fullmatch(r"[A-Z][A-Za-z0-9]*", cells[1]):
                svc = CLI_SERVICE.get(cells[0], cells[0])
                ops[(svc, xform_name(cells[1], "-"))] = f"{cells[0]} {cells[1]}"
    return ops


def first_call(words, services):
    """The first SERVICE OPERATION pair in a word sequence (None if there is none)."""
    for a, b in zip(words, words[1:]):
        if a in services and KEBAB.match(b):
            return a, b
    return None


# ---- shell -------------------------------------------------------------------------------------

def shell_calls(text, services):
    """(service, operation, line number) of every AWS CLI call in a shell script."""
    lines, joined = text.split("\n"), []
    i = 0
    while i < len(lines):  # join continuation lines, keep the first line's number
        start, line = i, lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + " " + lines[i]
        joined.append((start + 1, line))
        i += 1
    cmd_pos = r"(?:^|\$\(|[|;&(`]\s*|&&\s*|\|\|\s*)\s*"
    runs_aws = re.compile(cmd_pos + r"aws\s")
    aliases = {"aws"}
    for _, line in joined:  # name() { ... aws ... }
        m = re.match(r"\s*([A-Za-z_]\w*)\s*\(\)\s*\{(.*)", line)
        if m and runs_aws.search(m.group(2) + " "):
            aliases.add(m.group(1))
    pattern = re.compile(cmd_pos + r"(" + "|".join(map(re.escape, sorted(aliases))) + r")\s+(.*)")
    out = []
    for number, line in joined:
        if line.lstrip().startswith("#") or re.match(r"\s*[A-Za-z_]\w*\s*\(\)\s*\{", line):
            continue
        pos = 0
        while m := pattern.search(line, pos):
            rest = m.group(2)
            try:
                words = shlex.split(rest.split(")")[0], comments=True)
            except ValueError:
                words = rest.split()
            hit = first_call(words, services)
            if hit:
                out.append((*hit, number))
            pos = m.start(2)
    return out


# ---- python ------------------------------------------------------------------------------------

def literal_words(node, names, depth=0):
    """The words a python expression spells as a command line (HOLE for what is not a literal)."""
    if depth > 8 or node is None:
        return [HOLE]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.split() or [HOLE]
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else f" {HOLE} " for v in node.values)
        return text.split()
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [w for e in node.elts for w in literal_words(e, names, depth + 1)]
    if isinstance(node, ast.Starred):
        return literal_words(node.value, names, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return literal_words(node.left, names, depth + 1) + literal_words(node.right, names, depth + 1)
    if isinstance(node, ast.Name) and names.get(node.id, node.lineno) is not None:
        return literal_words(names.get(node.id, node.lineno), names, depth + 1)
    if isinstance(node, ast.Call):  # shlex.split("aws ..."), list(args), "...".format(...)
        return [w for a in node.args for w in literal_words(a, names, depth + 1)]
    return [HOLE]


def callee(call):
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def runs_cli(call, names):
    """Whether a call starts the AWS CLI itself."""
    if callee(call) not in SUBPROCESS:
        return False
    args = list(call.args) + [k.value for k in call.keywords if k.arg == "args"]
    words = [w for a in args for w in literal_words(a, names)]
    return "aws" in words or "--endpoint-url" in words or "awscli.clidriver" in " ".join(words)


class Names:
    """NAME = expression bindings, followed when a command line uses NAME: the file's last one above
    the use (else its first), else one of another scanned file (a list imported from a helper)."""

    def __init__(self, tree, others=None):
        self.own, self.others = {}, others if others is not None else {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.own.setdefault(node.targets[0].id, []).append((node.lineno, node.value))
        for bindings in self.own.values():
            bindings.sort(key=lambda b: b[0])

    def get(self, name, line):
        if name in self.own:
            above = [v for n, v in self.own[name] if n < line]
            return above[-1] if above else self.own[name][0][1]
        return self.others.get(name)


def bound_names(trees):
    """Each file's Names, every file's first binding of a name shared as the fallback."""
    shared = {}
    per_file = [Names(t, shared) for t in trees]
    for names in per_file:
        for name, bindings in names.own.items():
            shared.setdefault(name, bindings[0][1])
    return per_file


def passes_params(call, fn):
    """Whether a call inside fn hands on fn's command words: its *args, or a parameter spliced into the
    command (`*cmd`, `[...] + cmd`, `list(cmd)`); a parameter passed as a plain argument (a port) is not."""
    spliced = set()
    args = list(call.args) + [k.value for k in call.keywords if k.arg == "args"]
    for a in args:
        for n in ast.walk(a):
            inner = [n.value] if isinstance(n, ast.Starred) else [n.left, n.right] if isinstance(n, ast.BinOp) \
                else n.args if isinstance(n, ast.Call) and callee(n) in ("list", "tuple") else []
            spliced |= {x.id for x in inner if isinstance(x, ast.Name)}
    params = {a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    vararg = {fn.args.vararg.arg} if fn.args.vararg else set()
    return bool(spliced & (params | vararg))


def cli_wrappers(trees, all_names):
    """Names of the functions (in any of the files) that pass their arguments on to the CLI, directly
    or through another such function (a function that merely contains CLI calls is not one)."""
    wrappers, changed = set(), True
    while changed:
        changed = False
        for tree, names in zip(trees, all_names):
            for fn in ast.walk(tree):
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn.name not in wrappers:
                    if any(isinstance(c, ast.Call) and (runs_cli(c, names) or callee(c) in wrappers)
                           and passes_params(c, fn) for c in ast.walk(fn)):
                        wrappers.add(fn.name)
                        changed = True
    return wrappers


def wrapper_aliases(trees, wrappers):
    """Names bound to a wrapper (`c = srv.cli`, `run = cli`): calls through them are calls of it."""
    aliases = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                v = node.value
                bound = v.id if isinstance(v, ast.Name) else v.attr if isinstance(v, ast.Attribute) else None
                if bound in wrappers:
                    aliases.add(node.targets[0].id)
    return aliases


def python_calls(tree, names, services, wrappers):
    """(service, operation, line number) of every AWS CLI call in a parsed python file."""
    out = []
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and (runs_cli(call, names) or callee(call) in wrappers):
            args = list(call.args) + [k.value for k in call.keywords if k.arg == "args"]
            hit = first_call([w for a in args for w in literal_words(a, names)], services)
            if hit:
                out.append((*hit, call.lineno))
    return out


# ---- the check ---------------------------------------------------------------------------------

def scan(root):
    """Every AWS CLI call in the tests: (service, operation) -> ["file:line", ...]."""
    ops = coverage_ops(os.path.join(root, "harness", "COVERAGE.md"))
    services = {s for s, _ in ops} | {"s3api", "ec2"}
    calls = {}
    files = sorted(glob.glob(os.path.join(root, "tests", "e2e", "*.sh")) +
                   glob.glob(os.path.join(root, "tests", "e2e", "**", "*.py"), recursive=True))
    texts = {}
    for path in files:
        with open(path) as f:
            texts[path] = f.read()
    trees = {p: ast.parse(t) for p, t in texts.items() if p.endswith(".py")}
    names = dict(zip(trees, bound_names(list(trees.values()))))
    wrappers = cli_wrappers(list(trees.values()), list(names.values()))
    wrappers |= wrapper_aliases(list(trees.values()), wrappers)
    for path, text in texts.items():
        found = (shell_calls(text, services) if path.endswith(".sh")
                 else python_calls(trees[path], names[path], services, wrappers))
        for svc, op, line in found:
            calls.setdefault((svc, op), []).append(f"{os.path.relpath(path, root)}:{line}")
    return ops, calls


def report(root):
    ops, calls = scan(root)
    missing = sorted(v for k, v in ops.items() if k not in calls)
    by_service = {}
    for (svc, op), name in ops.items():
        by_service.setdefault(name.split()[0], []).append((svc, op) in calls)
    for svc, flags in sorted(by_service.items()):
        print(f"{svc:12s} {sum(flags):3d} of {len(flags):3d} operations driven by the AWS CLI")
    for name in missing:
        print(f"MISSING {name}: no `aws {CLI_SERVICE.get(name.split()[0], name.split()[0])} "
              f"{xform_name(name.split()[1], '-')}` in tests/e2e (*.sh, **/*.py)")
    print(f"{len(ops) - len(missing)} of {len(ops)} operations of harness/COVERAGE.md have an AWS CLI call")
    return missing


def self_test():
    """The checker on made-up files: what it must find and what it must not count."""
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "harness"))
        os.makedirs(os.path.join(root, "tests", "e2e"))
        rows = ["| service | operation | protocol | honoured members |", "|---|---|---|---|"]
        names = ["s3 ListObjectsV2", "rds DescribeDBInstances", "elbv2 CreateLoadBalancer", "eks ListClusters",
                 "sns Publish", "dms DescribeEndpoints", "route53 GetChange", "cloudwatch ListMetrics",
                 "mgn StartTest", "sts GetCallerIdentity", "autoscaling SetDesiredCapacity", "ssm GetParameter"]
        rows += [f"| {n.split()[0]} | {n.split()[1]} | query | - |" for n in names]
        with open(os.path.join(root, "harness", "COVERAGE.md"), "w") as f:
            f.write("\n".join(rows) + "\n")
        sh = ("aws_() { aws --endpoint-url \"$URL\" --output text \"$@\" 2>&1; }\n"
              "X=$(aws_ s3api list-objects-v2 --bucket b --query 'Contents[0].Key')\n"
              "aws --endpoint-url \"$URL\" \\\n  rds describe-db-instances\n"
              "expect \"route53 get-change\" INSYNC \"$X\"   # a label, not a call\n"
              "# aws mgn start-test   (a comment)\n"
              "aws --endpoint-url \"$URL\" s3 ls   # the high-level s3 command is not s3api\n")
        py = ("import subprocess\nAWS = ['aws', '--endpoint-url', 'http://x']\n"
              "def cli(port, *args):\n    return subprocess.run(['aws', '--endpoint-url', f'http://127.0.0.1:{port}', *args])\n"
              "cli(1, 'sns', 'publish', '--topic-arn', 'a')\n"
              "subprocess.run(AWS + ['elbv2', 'create-load-balancer', '--name', 'n'])\n"
              "subprocess.run(f'aws --endpoint-url {1} eks list-clusters', shell=True)\n"
              "subprocess.run(['python3', '-c', 'import awscli.clidriver', '--endpoint-url', 'u', 'dms', 'describe-endpoints'])\n"
              "check('aws mgn start-test works', True)   # a label\n"
              "boto3.client('cloudwatch').list_metrics()   # boto3 is not the CLI\n")
        other = ("from b import cli, AWS\ncli(2, 'autoscaling', 'set-desired-capacity', '--desired-capacity', '3')\n"
                 "c = cli\nc(3, 'cloudwatch', 'list-metrics')   # through a name bound to the wrapper\n"
                 "cmd = ['echo', 'mgn', 'start-test']\nsubprocess.run(cmd)\n"
                 "cmd = ['aws', '--endpoint-url', 'u', 'sts', 'get-caller-identity']\nsubprocess.run(cmd)\n"
                 "subprocess.run(AWS + ['ssm', 'get-parameter', '--name', 'x'])   # AWS bound in b.py\n"
                 "def run(port):   # contains a CLI call, but is no wrapper: other run(...) calls do not count\n"
                 "    cli(port, 'sns', 'publish')\n"
                 "subprocess.run(['echo', 'route53', 'get-change'])\n")
        for name, text in (("a.sh", sh), ("b.py", py), ("c.py", other)):
            with open(os.path.join(root, "tests", "e2e", name), "w") as f:
                f.write(text)
        ops, calls = scan(root)
        found = {ops[k] for k in calls if k in ops}
        want = {"s3 ListObjectsV2", "rds DescribeDBInstances", "sns Publish", "elbv2 CreateLoadBalancer",
                "eks ListClusters", "dms DescribeEndpoints", "autoscaling SetDesiredCapacity",
                "sts GetCallerIdentity", "ssm GetParameter", "cloudwatch ListMetrics"}
        ok = found == want and xform_name("ListObjectsV2", "-") == "list-objects-v2"
        print(("ok   " if ok else "FAIL ") + "self-test: found " + ", ".join(sorted(found)))
        if not ok:
            print(f"     wanted {sorted(want)}")
        return ok


def main():
    if sys.argv[1:] == ["--self-test"]:
        return 0 if self_test() else 1
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ok = self_test()
    missing = report(root)
    return 1 if missing or not ok else 0


if __name__ == "__main__":
    sys.exit(main())
