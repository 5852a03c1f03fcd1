"""The real kubectl deploying examples/k8s/ (the shop as its team ships it) onto the simulated EKS cluster
of eks-black-friday, where the Deployments annotated `migsim.io/service` run as the EKS model's workloads:
the manifests of what runs adopt the running pods, `kubectl top` and `kubectl get hpa` show the simulated
CPU, a scale-up beyond the nodes leaves pods Pending with kube-scheduler's message (kubectl describe) until
the model's Cluster Autoscaler adds nodes (kubectl get nodes), `kubectl rollout status` waits for the
model's rolling update on the simulated clock (set image, rollout undo), and the Events say why. Then
the same pipeline as `migsim rehearse --setup` commands: the kubectl rollout is on the rehearsal's
timeline with the simulated time it took, and the run's EKS report counts the model's rolling update.

Usage: test_kubectl_model.py MIGSIM   (skips, exit 77, when no kubectl is found)
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import AWS_ENV, ROOT, Serve, check, summary  # noqa: E402
from test_kubectl import find_kubectl  # noqa: E402

REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/"

# A runbook for after the pipeline: the cluster is ACTIVE.
PREFLIGHT = {"schemaVersion": "0.3", "description": "The EKS cluster is ACTIVE.",
             "mainSteps": [{"name": "clusterActive", "action": "aws:assertAwsResourceProperty",
                            "inputs": {"Service": "eks", "Api": "DescribeCluster", "name": "shop",
                                       "PropertySelector": "$.cluster.status", "DesiredValues": ["ACTIVE"]}}]}


def rehearse_pipeline(migsim, kubectl, tmp):
    """`migsim rehearse --setup`: update-kubeconfig, apply examples/k8s, set image + rollout status."""
    bin_dir = os.path.join(tmp, "bin")  # `kubectl` in the commands is the 1.32 client
    os.makedirs(bin_dir, exist_ok=True)
    if not os.path.exists(os.path.join(bin_dir, "kubectl")):
        os.symlink(kubectl, os.path.join(bin_dir, "kubectl"))
    runbook = os.path.join(tmp, "eks-preflight.json")
    with open(runbook, "w") as f:
        json.dump(PREFLIGHT, f)
    out = os.path.join(tmp, "rehearsal")
    env = dict(AWS_ENV, HOME=tmp, KUBECONFIG=os.path.join(tmp, "rehearsal-kubeconfig"),
               PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    rollout = (f"kubectl -n shop set image deployment/catalog catalog={REGISTRY}api-catalog:2.9.0 && "
               "kubectl -n shop rollout status deployment/catalog --timeout=120s")
    p = subprocess.run([migsim, "rehearse", os.path.join(ROOT, "scenarios", "eks-black-friday.json"), "--runbook", runbook,
                        "--out", out, "--setup", "aws eks update-kubeconfig --name shop",
                        "--setup", "kubectl apply -f examples/k8s/", "--setup", rollout],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    check("migsim rehearse with the kubectl pipeline as --setup exits 0", p.returncode == 0,
          (p.returncode, p.stdout[-1500:], p.stderr[-1500:]))
    if p.returncode != 0:
        return
    with open(os.path.join(out, "rehearsal.json")) as f:
        rep = json.load(f)
    steps = rep["timeline"]
    check("the pipeline's three commands open the timeline, all successful",
          [s["action"] for s in steps[:3]] == ["setup"] * 3 and all(s["status"] == "Success" for s in steps[:3]),
          [(s["step"], s["status"]) for s in steps[:4]])
    # api-catalog's new image: a 15 s pull, an 8 s start and the 5 s readiness delay per wave at least.
    check("the kubectl rollout's step took the model's rolling update in simulated time (>= 28 s)",
          rep["setup"][2]["duration_s"] >= 28 and "rollout status" in rep["setup"][2]["command"], rep["setup"][2])
    with open(os.path.join(out, "setup-3.log")) as f:
        log = f.read()
    check("its log is kubectl's", 'deployment "catalog" successfully rolled out' in log, log[-500:])
    with open(os.path.join(out, "summary.json")) as f:
        summary_doc = json.load(f)
    check("the run's EKS report counts the model's rolling update",
          summary_doc["eks"]["pods"]["rolling_updates_completed"] >= 1, summary_doc["eks"]["pods"])


def main():
    migsim = sys.argv[1]
    kubectl = find_kubectl()
    if not kubectl:
        print("skip: no kubectl on PATH (install kubectl 1.32 or set KUBECTL)")
        return 77
    started = time.time()
    tmp = tempfile.mkdtemp(prefix="migsim-kubectl-model-")
    env = dict(AWS_ENV, HOME=tmp, KUBECONFIG=os.path.join(tmp, "kubeconfig"))

    def k(*args, timeout_s=60):
        p = subprocess.run([kubectl, "-n", "shop", *args], capture_output=True, text=True, env=env, timeout=timeout_s)
        return p.returncode, p.stdout, p.stderr

    def pods():
        rc, out, err = k("get", "pods", "-o", "json")
        return json.loads(out)["items"] if rc == 0 else []

    def rollout_waits_for_the_clock(label, deployment, advance_s):
        """`kubectl rollout status` waits while the simulated clock is paused and returns once the model's
        rollout completes after the clock moves."""
        proc = subprocess.Popen([kubectl, "-n", "shop", "rollout", "status", deployment, "--timeout=90s"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        first = []
        reader = threading.Thread(target=lambda: first.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=30)
        check(f"{label}: rollout status waits while the clock is paused", proc.poll() is None and
              first and first[0].startswith("Waiting for deployment"), first)
        srv.advance(advance_s)
        try:
            rest, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, err = proc.communicate()
        out = (first[0] if first else "") + rest
        check(f"{label}: rollout status returns once the model's rollout is complete",
              proc.returncode == 0 and "successfully rolled out" in out, (proc.returncode, out, err))

    scenario = os.path.join(ROOT, "scenarios", "eks-black-friday.json")
    with Serve(migsim, scenario, speed="0") as srv:
        if not check("serve starts", srv.listening(30) is not None):
            return summary(started)
        p = subprocess.run(["aws", "eks", "update-kubeconfig", "--name", "shop", "--endpoint-url", srv.url],
                           capture_output=True, text=True, env=env, timeout=60)
        check("aws eks update-kubeconfig", p.returncode == 0, p.stderr)

        # The pipeline's apply.
        p = subprocess.run([kubectl, "apply", "-f", os.path.join(ROOT, "examples", "k8s")], capture_output=True, text=True,
                           env=env, timeout=60)
        check("kubectl apply -f examples/k8s/ creates the 18 objects", p.returncode == 0 and p.stdout.count(" created") == 18,
              (p.stdout, p.stderr))
        running = pods()
        check("the manifests of what runs adopt the model's 12 running pods, each on a node of the model",
              len(running) == 12 and all(x["status"]["phase"] == "Running" and x["spec"].get("nodeName", "").startswith("ip-")
                                         for x in running), [(x["metadata"]["name"], x["status"]["phase"]) for x in running])
        rc, out, err = k("rollout", "status", "deployment/catalog", "--timeout=10s")
        check("no rollout for them: rollout status returns at once", rc == 0 and "successfully rolled out" in out, (out, err))

        # The Load Balancer Controller's ALB for the Ingress, its rules as the Ingress lists them.
        rc, out, err = k("get", "ingress", "shop", "-o", "jsonpath={.status.loadBalancer.ingress[0].hostname}")
        check("the shop Ingress has its ALB's address", rc == 0 and out.startswith("k8s-shop-shop-") and
              out.endswith(".elb.amazonaws.com"), (out, err))
        rc, lbs, err = srv.aws("elbv2", "describe-load-balancers")
        alb = [lb for lb in (lbs or {}).get("LoadBalancers", []) if lb["DNSName"] == out]
        rules = []
        if alb:
            _, listeners, _ = srv.aws("elbv2", "describe-listeners", "--load-balancer-arn", alb[0]["LoadBalancerArn"])
            _, rules, _ = srv.aws("elbv2", "describe-rules", "--listener-arn", listeners["Listeners"][0]["ListenerArn"])
            rules = [r for r in rules["Rules"] if not r["IsDefault"]]
        patterns = [[c for c in r["Conditions"] if c["Field"] == "path-pattern"][0]["PathPatternConfig"]["Values"] for r in rules]
        check("aws elbv2: the ALB's rules route /api/<service> and the rest by host and path, in the Ingress's order",
              patterns == [["/api/catalog", "/api/catalog/*"], ["/api/cart", "/api/cart/*"], ["/api/orders", "/api/orders/*"], ["/*"]] and
              all(any(c["Field"] == "host-header" and c["HostHeaderConfig"]["Values"] == ["shop.example.com"] for c in r["Conditions"])
                  for r in rules), rules)

        health = []
        if alb:
            _, groups, _ = srv.aws("elbv2", "describe-target-groups", "--load-balancer-arn", alb[0]["LoadBalancerArn"])
            catalog_group = [g for g in groups["TargetGroups"] if "-catalog-" in g["TargetGroupName"]]
            if catalog_group:
                _, health, _ = srv.aws("elbv2", "describe-target-health", "--target-group-arn", catalog_group[0]["TargetGroupArn"])
                health = health["TargetHealthDescriptions"]
        pod_ips = {x["status"]["podIP"] for x in running if x["metadata"]["name"].startswith("catalog-")}
        check("target type ip: the catalog group's targets are its ready pods' IPs on the container port",
              {t["Target"]["Id"] for t in health} == pod_ips and all(t["Target"]["Port"] == 8080 for t in health), (health, pod_ips))

        # The simulated CPU: the HPAs' current utilisation and kubectl top.
        srv.advance(60)
        rc, out, err = k("get", "hpa")
        rows = [line.split() for line in out.splitlines()[1:]]
        check("kubectl get hpa: TARGETS is the model's measured CPU against the target",
              rc == 0 and len(rows) == 4 and all(r[2] == "cpu:" and r[3].endswith("%/60%") and r[3][0].isdigit() for r in rows), out)
        p = subprocess.run([kubectl, "top", "nodes"], capture_output=True, text=True, env=env, timeout=60)
        rows = [line.split() for line in p.stdout.splitlines()[1:]]
        check("kubectl top nodes: the nodes' simulated CPU and memory",
              p.returncode == 0 and len(rows) == 3 and all(r[1].endswith("m") and int(r[1][:-1]) > 0 for r in rows),
              (p.stdout, p.stderr))
        rc, out, err = k("top", "pods")
        rows = [line.split() for line in out.splitlines()[1:]]
        check("kubectl top pods: every pod's simulated CPU, its memory request",
              rc == 0 and len(rows) == 12 and all(int(r[1][:-1]) > 0 for r in rows) and
              any(r[0].startswith("catalog-") and r[2] == "512Mi" for r in rows), (out, err))

        # Beyond the nodes: Pending with kube-scheduler's message, the Cluster Autoscaler's nodes.
        k("delete", "hpa", "catalog")
        rc, out, err = k("scale", "deployment/catalog", "--replicas=30")
        check("kubectl scale deployment/catalog --replicas=30", rc == 0 and "scaled" in out, (out, err))
        srv.advance(15)
        pending = [x for x in pods() if x["status"]["phase"] == "Pending" and not x["spec"].get("nodeName")]
        check("the pods that do not fit are Pending, unscheduled", len(pending) > 0, len(pending))
        if pending:
            rc, out, err = k("describe", "pod", pending[0]["metadata"]["name"])
            check("kubectl describe pod: PodScheduled False and the FailedScheduling and TriggeredScaleUp events",
                  rc == 0 and "FailedScheduling" in out and "Insufficient cpu" in out and "TriggeredScaleUp" in out and
                  "pod triggered scale-up: [{web 3->" in out, out[-1500:])
        rollout_waits_for_the_clock("scale to 30", "deployment/catalog", 300)
        p = subprocess.run([kubectl, "get", "nodes", "--no-headers"], capture_output=True, text=True, env=env, timeout=60)
        check("the Cluster Autoscaler's new nodes appear in kubectl get nodes", len(p.stdout.splitlines()) > 3, p.stdout)
        rc, out, err = k("get", "events", "--field-selector", "reason=Pulling")
        check("kubectl get events: kubelet pulled the image on the new nodes",
              rc == 0 and f'Pulling image "{REGISTRY}api-catalog:2.8.0"' in out, out[-800:])

        # A new version, then back.
        rc, out, err = k("set", "image", "deployment/catalog", f"catalog={REGISTRY}api-catalog:2.9.0")
        check("kubectl set image", rc == 0, err)
        rollout_waits_for_the_clock("set image", "deployment/catalog", 300)
        images = {x["spec"]["containers"][0]["image"] for x in pods() if x["metadata"]["name"].startswith("catalog-")}
        check("every catalog pod runs the new image", images == {f"{REGISTRY}api-catalog:2.9.0"}, images)
        rc, out, err = k("rollout", "undo", "deployment/catalog")
        check("kubectl rollout undo", rc == 0 and "rolled back" in out, (out, err))
        rollout_waits_for_the_clock("rollout undo", "deployment/catalog", 300)
        images = {x["spec"]["containers"][0]["image"] for x in pods() if x["metadata"]["name"].startswith("catalog-")}
        check("every catalog pod runs the previous image again", images == {f"{REGISTRY}api-catalog:2.8.0"}, images)
        rc, out, err = k("get", "events", "--field-selector", "involvedObject.kind=Deployment")
        check("ScalingReplicaSet events on the Deployment", rc == 0 and "Scaled down replica set catalog-" in out, out[-800:])
        rc, out, err = k("get", "deployment", "catalog")
        check("30 of 30 ready", rc == 0 and "30/30" in out, out)
    rehearse_pipeline(migsim, kubectl, tmp)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
