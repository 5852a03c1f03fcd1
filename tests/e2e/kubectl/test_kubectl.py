"""The real kubectl against the Kubernetes API of a simulated EKS cluster: `aws eks update-kubeconfig`
writes a kubeconfig whose server is migsim's loopback URL for the cluster, then kubectl lists the EKS
model's nodes, applies
(client-side and server-side), gets (table, -o json, -o yaml, -w, pods and ReplicaSets), scales,
labels, sets an image, waits for the rollout on the simulated clock, lists its history, undoes it,
autoscales (kubectl autoscale and an applied autoscaling/v2 HPA), applies an Ingress of class alb and
an EFS-backed PersistentVolumeClaim, lists ServiceAccounts, applies a PodDisruptionBudget, describes, explains, deletes, and meets the server's errors (an unknown field with --validate=strict,
a missing namespace, a stale update, a wrong kind, an invalid selector) with its exit code and message.
Exits 77 when no kubectl is installed.

    python3 tests/e2e/kubectl/test_kubectl.py build/migsim
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from serve_fixture import AWS_ENV, ROOT, Serve, check, summary  # noqa: E402

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: %(replicas)d
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: %(image)s
        ports:
        - containerPort: 80
        resources:
          requests: {cpu: 250m, memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
"""

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/target-type: ip
    alb.ingress.kubernetes.io/group.name: shop
spec:
  ingressClassName: alb
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Exact
        backend:
          service: {name: api, port: {number: 8080}}
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}
"""

EFS = """apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: efs-sc
provisioner: efs.csi.aws.com
parameters:
  provisioningMode: efs-ap
  fileSystemId: fs-0123456789abcdef0
  directoryPerms: "700"
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: media
spec:
  accessModes: [ReadWriteMany]
  storageClassName: efs-sc
  resources:
    requests:
      storage: 5Gi
"""


def find_kubectl():
    """kubectl 1.32: $KUBECTL, else the kubectl on PATH, or the 1.32 client beside it when that kubectl is the
    Google Cloud SDK's dispatcher (which otherwise runs the client matching the server's minor version)."""
    if os.environ.get("KUBECTL"):
        return os.environ["KUBECTL"]
    found = shutil.which("kubectl")
    if not found:
        return None
    beside = os.path.join(os.path.dirname(os.path.realpath(found)), "kubectl.1.32")
    return beside if os.path.exists(beside) else found


def main():
    migsim = sys.argv[1]
    kubectl = find_kubectl()
    if not kubectl:
        print("skip: no kubectl on PATH (install kubectl 1.32 or set KUBECTL)")
        return 77
    started = time.time()
    tmp = tempfile.mkdtemp(prefix="migsim-kubectl-")
    env = dict(AWS_ENV, HOME=tmp, KUBECONFIG=os.path.join(tmp, "kubeconfig"))

    def k(*args, stdin=None, timeout_s=60):
        p = subprocess.run([kubectl, *args], capture_output=True, text=True, env=env, input=stdin, timeout=timeout_s)
        return p.returncode, p.stdout, p.stderr

    def manifest(replicas=3, image="nginx:1.27"):
        path = os.path.join(tmp, "web.yaml")
        with open(path, "w") as f:
            f.write(DEPLOYMENT % {"replicas": replicas, "image": image})
        return path

    def rollout_waits_for_the_clock(label, advance_s=120):
        """`kubectl rollout status` still waits while the simulated clock is paused, returns once it moves."""
        proc = subprocess.Popen([kubectl, "rollout", "status", "deployment/web", "--timeout=60s"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        # Its first "Waiting for deployment ..." line says it has the token and watches (a fixed sleep
        # raced with the get-token plugin's start on a loaded machine); then the clock moves.
        first = []
        reader = threading.Thread(target=lambda: first.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=30)
        check(f"{label}: rollout status waits while the clock is paused", proc.poll() is None and
              first and first[0].startswith("Waiting for deployment"), first)
        srv.advance(advance_s)
        try:
            rest, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, err = proc.communicate()
        out = (first[0] if first else "") + rest
        check(f"{label}: rollout status returns once the pods are ready on the simulated clock",
              proc.returncode == 0 and 'deployment "web" successfully rolled out' in out, (proc.returncode, out, err))
        return out

    scenario = os.path.join(ROOT, "scenarios", "eks-black-friday.json")
    with open(scenario) as f:
        cluster = json.load(f)["eks"]["cluster_name"]
    with Serve(migsim, scenario, speed="0") as srv:
        if not check("serve starts", srv.listening(30) is not None):
            return summary(started)
        # Getting there as users do.
        rc, out, err = srv.aws("eks", "describe-cluster", "--name", cluster)
        endpoint = out["cluster"]["endpoint"] if rc == 0 else ""
        ca = out["cluster"].get("certificateAuthority", {}).get("data", "") if rc == 0 else ""
        check("DescribeCluster's endpoint is this server's HTTPS loopback URL for the cluster, with its CA",
              re.fullmatch(rf"https://127\.0\.0\.1:\d+/_migsim/eks/{cluster}", endpoint) is not None and
              base64.b64decode(ca).startswith(b"-----BEGIN CERTIFICATE-----"), (rc, endpoint, err))
        p = subprocess.run(["aws", "eks", "update-kubeconfig", "--name", cluster, "--endpoint-url", srv.url],
                           capture_output=True, text=True, env=env, timeout=60)
        check("aws eks update-kubeconfig writes the kubeconfig", p.returncode == 0, p.stderr)
        with open(env["KUBECONFIG"]) as f:
            kubeconfig = f.read()
        check("the kubeconfig's server is that URL, with the CA and aws eks get-token as its exec plugin",
              f"server: {endpoint}" in kubeconfig and f"certificate-authority-data: {ca}" in kubeconfig and
              "get-token" in kubeconfig, kubeconfig)
        rc, out, err = k("version", "-o", "json")
        version = json.loads(out) if rc == 0 else {}
        check("kubectl version reads the server's version", version.get("serverVersion", {}).get("major") == "1",
              (rc, out, err))
        print(f"(kubectl {version.get('clientVersion', {}).get('gitVersion')}, server "
              f"{version.get('serverVersion', {}).get('gitVersion')})")
        rc, out, err = k("--token", "not-an-eks-token", "get", "namespaces")
        check("over TLS kubectl sends its token: one that is not aws eks get-token's is 401",
              rc != 0 and "the server has asked for the client to provide credentials" in err, (rc, err))
        rc, out, err = k("get", "namespaces")
        check("kubectl get namespaces (the exec plugin's token accepted): the four a cluster starts with, as a table",
              rc == 0 and out.split("\n")[0].split() == ["NAME", "STATUS", "AGE"] and
              all(n in out for n in ("default", "kube-system", "kube-public", "kube-node-lease")), (rc, out, err))

        # The cluster's nodes are the EKS model's: its node group's instances, Ready, labelled.
        with open(scenario) as f:
            eks = json.load(f)["eks"]
        group = eks["node_groups"][0]
        rc, out, err = k("get", "nodes", "-L", "node.kubernetes.io/instance-type,topology.kubernetes.io/zone,"
                         "eks.amazonaws.com/nodegroup")
        rows = [line.split() for line in out.strip().split("\n")[1:]]
        check("kubectl get nodes: the node group's desired nodes, Ready, with their instance type, zone and node group labels",
              rc == 0 and out.split("\n")[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INSTANCE-TYPE", "ZONE",
                                                         "NODEGROUP"] and
              len(rows) == group["desired_size"] and all(r[1] == "Ready" and r[5] == group["instance_type"] and
                                                          r[6] in eks["zones"] and r[7] == group["name"] for r in rows) and
              len({r[6] for r in rows}) == min(len(eks["zones"]), group["desired_size"]), (rc, out, err))
        rc, out, err = k("get", "node", rows[0][0] if rows else "none", "-o",
                         "jsonpath={.status.capacity.cpu} {.status.allocatable.pods} {.status.nodeInfo.kubeletVersion}")
        check("a node's capacity and allocatable are its instance type's (m5.large: 2 vCPU, 29 pods)",
              rc == 0 and out.split()[:2] == ["2", "29"] and out.split()[2].startswith("v1."), (rc, out, err))

        # Client-side apply, get, rollout.
        rc, out, err = k("apply", "-f", manifest())
        check("kubectl apply creates a Deployment, a Service and a ConfigMap",
              rc == 0 and "deployment.apps/web created" in out and "service/web created" in out and
              "configmap/web-config created" in out, (rc, out, err))
        rc, out, err = k("get", "deployment", "web")
        check("kubectl get deployment: the server's columns, no pod ready yet",
              rc == 0 and out.split("\n")[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"] and
              out.split("\n")[1].split()[:4] == ["web", "0/3", "3", "0"], (rc, out, err))
        rollout_waits_for_the_clock("create")
        rc, out, err = k("get", "deployment", "web", "-o", "json")
        d = json.loads(out) if rc == 0 else {}
        check("-o json: the defaults a real API server sets and a complete status",
              d.get("spec", {}).get("strategy", {}).get("rollingUpdate") == {"maxSurge": "25%", "maxUnavailable": "25%"} and
              d["spec"]["template"]["spec"]["containers"][0].get("imagePullPolicy") == "IfNotPresent" and
              d.get("status", {}).get("readyReplicas") == 3 and d["status"].get("observedGeneration") == 1 and
              "kubectl.kubernetes.io/last-applied-configuration" in d["metadata"].get("annotations", {}), d)
        rc, out, err = k("get", "service", "web", "-o", "yaml")
        check("-o yaml: the Service with its cluster IP and defaulted target port",
              rc == 0 and "clusterIP: 10.100." in out and "targetPort: 80" in out and "protocol: TCP" in out, (rc, out, err))
        rc, out, err = k("get", "svc", "web")
        check("kubectl get svc: TYPE, CLUSTER-IP and PORT(S)", rc == 0 and "ClusterIP" in out and "80/TCP" in out, out)

        # Apply again with a change: a strategic merge patch, a new generation, a rolling update.
        rc, out, err = k("apply", "-f", manifest(replicas=4, image="nginx:1.28"))
        check("kubectl apply with a change patches the Deployment, leaves the rest unchanged",
              rc == 0 and "deployment.apps/web configured" in out and "service/web unchanged" in out, (rc, out, err))
        rc, out, err = k("get", "deployment", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} "
                         "{.metadata.generation} {.spec.template.spec.containers[0].ports[0].containerPort}")
        check("the patch changed replicas and image, bumped the generation, kept the merged container's port",
              out == "4 nginx:1.28 2 80", (rc, out, err))
        out = rollout_waits_for_the_clock("rolling update")
        check("the rolling update went through its stages (new replicas updated, old ones terminated)",
              "new replicas have been updated" in out or "old replicas are pending termination" in out or
              "updated replicas are available" in out, out)

        # The controller's ReplicaSets and Pods; set image, history, undo, describe.
        rc, out, err = k("get", "replicasets", "-o", "json")
        rss = json.loads(out)["items"] if rc == 0 else []
        check("one ReplicaSet per revision, owned by the Deployment, numbered 1 and 2",
              sorted(r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] for r in rss) == ["1", "2"] and
              all(r["metadata"]["ownerReferences"][0]["kind"] == "Deployment" for r in rss), (rc, out[:500], err))
        rc, out, err = k("get", "pods", "-l", "app=web")
        rows = [line.split() for line in out.strip().split("\n")[1:]]
        check("kubectl get pods: 4 Running pods of the new ReplicaSet",
              rc == 0 and len(rows) == 4 and all(r[1] == "1/1" and r[2] == "Running" for r in rows), (rc, out, err))
        rc, out, err = k("set", "image", "deployment/web", "web=nginx:1.29")
        check("kubectl set image", rc == 0 and "image updated" in out, (rc, out, err))
        rc, out, err = k("get", "pods", "-l", "app=web")
        check("new pods are ContainerCreating while the clock has not moved", "ContainerCreating" in out, out)
        rollout_waits_for_the_clock("set image")
        rc, out, err = k("rollout", "history", "deployment/web")
        check("kubectl rollout history lists revisions 1 to 3",
              rc == 0 and [line.split()[0] for line in out.strip().split("\n")[2:]] == ["1", "2", "3"], (rc, out, err))
        rc, out, err = k("rollout", "undo", "deployment/web")
        check("kubectl rollout undo", rc == 0 and "rolled back" in out, (rc, out, err))
        rollout_waits_for_the_clock("undo")
        rc, out, err = k("get", "deployment", "web", "-o",
                         "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}")
        check("the undo went back to the previous image as revision 4", out == "nginx:1.28 4", (rc, out, err))
        rc, out, err = k("describe", "deployment", "web")
        check("kubectl describe deployment: replicas, strategy, conditions, the new ReplicaSet",
              rc == 0 and "4 desired | 4 updated | 4 total | 4 available | 0 unavailable" in out and
              "RollingUpdateStrategy:  25% max unavailable, 25% max surge" in out and "NewReplicaSetAvailable" in out and
              "NewReplicaSet:" in out, (rc, out, err))

        # Scale and label (the scale subresource, a merge patch), label selectors.
        rc, out, err = k("scale", "deployment/web", "--replicas=6")
        check("kubectl scale", rc == 0 and "deployment.apps/web scaled" in out, (rc, out, err))
        rc, out, err = k("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")
        check("the scale subresource set spec.replicas", out == "6", (rc, out, err))
        rc, out, err = k("label", "deployment", "web", "tier=frontend")
        check("kubectl label", rc == 0 and "labeled" in out, (rc, out, err))
        rc, out, err = k("get", "deployments", "-l", "tier=frontend", "-o", "name")
        rc2, out2, _ = k("get", "deployments", "-l", "tier=backend", "-o", "name")
        check("a label selector selects", out.strip() == "deployment.apps/web" and out2.strip() == "", (out, out2))

        # get -w streams the changes.
        watch = subprocess.Popen([kubectl, "get", "deployment", "web", "-w", "--output-watch-events"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        lines = []
        threading.Thread(target=lambda: lines.extend(iter(watch.stdout.readline, "")), daemon=True).start()

        def seen(text, timeout_s=30):
            deadline = time.time() + timeout_s
            while time.time() < deadline and not any(text in line for line in list(lines)):
                time.sleep(0.05)
            return any(text in line for line in list(lines))

        seen("ADDED")  # the watch is open (not a fixed sleep: the get-token plugin may be slow to start)
        srv.advance(60)
        seen("6/6", timeout_s=15)
        watch.terminate()
        watch.wait(timeout=10)
        err = watch.stderr.read()
        out = "".join(lines)
        check("kubectl get -w shows the scale-up progress as it happens",
              "ADDED" in out and "MODIFIED" in out and "6/6" in out, (out, err))

        # HorizontalPodAutoscalers: `kubectl autoscale` (autoscaling/v1, sent as protobuf) and an applied
        # autoscaling/v2 manifest; the controller keeps the Deployment within min..max.
        rc, out, err = k("autoscale", "deployment", "web", "--min=2", "--max=10", "--cpu-percent=60")
        check("kubectl autoscale creates the HPA", rc == 0 and "horizontalpodautoscaler.autoscaling/web autoscaled" in out,
              (rc, out, err))
        rc, out, err = k("get", "hpa")
        rows = [line.split(None, 2) for line in out.strip().split("\n")]
        check("kubectl get hpa: REFERENCE, TARGETS (cpu: <unknown>/60% until metrics exist), MINPODS, MAXPODS, REPLICAS, AGE",
              rc == 0 and out.split("\n")[0].split() == ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"] and
              rows[1][:2] == ["web", "Deployment/web"] and rows[1][2].split()[:5] == ["cpu:", "<unknown>/60%", "2", "10", "6"],
              (rc, out, err))
        rc, out, err = k("get", "hpa", "web", "-o", "json")
        h = json.loads(out) if rc == 0 else {}
        check("stored as autoscaling/v2: the cpu target a metric, the controller's status and conditions",
              h.get("apiVersion") == "autoscaling/v2" and h["spec"]["metrics"][0]["resource"]["target"] ==
              {"type": "Utilization", "averageUtilization": 60} and h["spec"]["scaleTargetRef"] ==
              {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"} and h["status"]["currentReplicas"] == 6 and
              [c["reason"] for c in h["status"]["conditions"]] == ["SucceededGetScale", "FailedGetResourceMetric"], h)
        rc, out, err = k("delete", "hpa", "web")
        check("kubectl delete hpa", rc == 0 and 'horizontalpodautoscaler.autoscaling "web" deleted' in out, (rc, out, err))
        hpa = ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n"
               "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 8\n  maxReplicas: 12\n"
               "  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n"
               "      target: {type: Utilization, averageUtilization: 70}\n  behavior:\n    scaleDown: {stabilizationWindowSeconds: 120}\n")
        rc, out, err = k("apply", "-f", "-", stdin=hpa)
        rc2, out2, _ = k("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")
        rc3, out3, _ = k("get", "hpa", "web", "-o", "jsonpath={.spec.behavior.scaleUp.policies[0].value} "
                         "{.spec.behavior.scaleDown.policies[0].type} {.status.desiredReplicas}")
        check("an applied autoscaling/v2 HPA: its behavior defaulted, the Deployment scaled up to minReplicas",
              rc == 0 and "horizontalpodautoscaler.autoscaling/web created" in out and out2 == "8" and out3 == "4 Percent 8",
              (rc, out, err, out2, out3))
        rc, out, err = k("apply", "-f", "-", stdin=hpa.replace("maxReplicas: 12", "maxReplicas: 4"))
        check("maxReplicas below minReplicas: 422 with the field",
              rc != 0 and 'The HorizontalPodAutoscaler "web" is invalid: spec.maxReplicas: Invalid value: 4: must be greater '
              'than or equal to `minReplicas`' in err, (rc, err))
        rc, out, err = k("apply", "-f", "-", stdin=hpa.replace("minReplicas: 8", "minReplica: 8"))
        check("an HPA with an unknown field: strict decoding error naming it",
              rc != 0 and 'unknown field "spec.minReplica"' in err, (rc, err))
        rc, out, err = k("explain", "hpa.spec.minReplicas")
        check("kubectl explain hpa.spec.minReplicas (autoscaling/v2)", rc == 0 and "VERSION:    v2" in out and
              "FIELD: minReplicas <integer>" in out, (rc, out, err))
        k("delete", "hpa", "web")
        k("scale", "deployment/web", "--replicas=6")

        # An Ingress of the AWS Load Balancer Controller's class, its annotations kept; a backend naming a
        # Service that does not exist is accepted, as Kubernetes does.
        ingress = INGRESS
        rc, out, err = k("apply", "-f", "-", stdin=ingress)
        rc2, out2, err2 = k("apply", "-f", "-", stdin=ingress)
        check("kubectl apply of an Ingress (one backend names no existing Service): created, then unchanged",
              rc == 0 and "ingress.networking.k8s.io/shop created" in out and rc2 == 0 and "unchanged" in out2,
              (rc, out, err, out2, err2))
        rc, out, err = k("get", "ingress")
        row = out.split("\n")[1].split() if rc == 0 and "\n" in out else []
        check("kubectl get ingress: CLASS alb, HOSTS, ADDRESS (the Load Balancer Controller's ALB), PORTS",
              rc == 0 and out.split("\n")[0].split() == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"] and
              row[:3] == ["shop", "alb", "shop.example.com"] and row[3].startswith("k8s-default-shop-") and
              row[3].endswith(".us-east-1.elb.amazonaws.com") and row[4] == "80", (rc, out, err))
        rc, out, err = srv.aws("elbv2", "describe-load-balancers")
        albs = [lb for lb in (out or {}).get("LoadBalancers", []) if lb["LoadBalancerName"].startswith("k8s-default-shop-")]
        check("the ALB is in the ELBv2 API, internet-facing as annotated", rc == 0 and len(albs) == 1 and
              albs[0]["Scheme"] == "internet-facing" and albs[0]["DNSName"] == row[3], (rc, out, err))
        rc, out, err = k("get", "ingressclass", "alb", "-o", "jsonpath={.spec.controller}")
        check("the cluster has the alb IngressClass of the AWS Load Balancer Controller", rc == 0 and out == "ingress.k8s.aws/alb",
              (rc, out, err))
        rc, out, err = k("get", "ingress", "shop", "-o", "json")
        ing = json.loads(out) if rc == 0 else {}
        check("the ALB annotations (scheme, target type, group name) and the rules are kept",
              {a: v for a, v in ing.get("metadata", {}).get("annotations", {}).items() if a.startswith("alb.")} ==
              {"alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/target-type": "ip",
               "alb.ingress.kubernetes.io/group.name": "shop"} and
              [p["path"] for p in ing["spec"]["rules"][0]["http"]["paths"]] == ["/api", "/"], ing)
        rc, out, err = k("apply", "-f", "-", stdin=ingress.replace("path: /api", "path: api"))
        check("an Exact/Prefix path that is not absolute: 422 with the field",
              rc != 0 and "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path" in err, (rc, err))
        rc, out, err = k("apply", "-f", "-", stdin=ingress.replace("pathType: Exact", "pathType: Regex"))
        check("an unsupported pathType: 422 naming the supported values",
              rc != 0 and 'pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"'
              in err, (rc, err))

        # EFS storage: the StorageClass of the EFS CSI driver, a ReadWriteMany claim bound to a dynamically
        # provisioned volume named pvc-<claim uid>.
        rc, out, err = k("apply", "-f", "-", stdin=EFS)
        check("kubectl apply of the efs-sc StorageClass and a claim on it",
              rc == 0 and "storageclass.storage.k8s.io/efs-sc created" in out and "persistentvolumeclaim/media created" in out,
              (rc, out, err))
        rc, out, err = k("get", "pvc", "media", "-o", "jsonpath={.metadata.uid}")
        uid = out
        rc, out, err = k("get", "pvc")
        check("kubectl get pvc: Bound to pvc-<uid>, 5Gi, RWX, efs-sc, in kubectl's columns",
              rc == 0 and out.split("\n")[0].split() == ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES", "STORAGECLASS",
                                                         "VOLUMEATTRIBUTESCLASS", "AGE"] and
              out.split("\n")[1].split()[:6] == ["media", "Bound", f"pvc-{uid}", "5Gi", "RWX", "efs-sc"], (rc, out, err))
        rc, out, err = k("get", "pv", f"pvc-{uid}", "-o", "jsonpath={.spec.csi.driver} {.spec.csi.volumeHandle} "
                         "{.spec.claimRef.name} {.status.phase} {.spec.persistentVolumeReclaimPolicy}")
        parts = out.split()
        check("the volume: the EFS CSI driver, an access point of the class's file system, bound to the claim",
              rc == 0 and len(parts) == 5 and parts[0] == "efs.csi.aws.com" and
              parts[1].startswith("fs-0123456789abcdef0::fsap-") and parts[2:] == ["media", "Bound", "Delete"], (rc, out, err))
        rc, out, err = k("get", "storageclass")
        check("kubectl get storageclass: efs-sc and EKS's gp2",
              rc == 0 and out.split("\n")[0].split() == ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE",
                                                         "ALLOWVOLUMEEXPANSION", "AGE"] and
              out.split("\n")[1].split()[:2] == ["efs-sc", "efs.csi.aws.com"] and "gp2" in out, (rc, out, err))
        rc, out, err = k("apply", "-f", "-", stdin=EFS.split("---")[1].replace("name: media", "name: bad").replace(
            "ReadWriteMany", "ReadWriteAll"))
        check("an unknown access mode: 422 naming the supported ones",
              rc != 0 and 'spec.accessModes: Unsupported value: "ReadWriteAll": supported values: "ReadOnlyMany", '
              '"ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"' in err, (rc, err))
        rc, out, err = k("delete", "pvc", "media")
        rc2, out2, err2 = k("get", "pv", "-o", "name")
        check("deleting the claim deletes its volume (reclaim policy Delete)", rc == 0 and rc2 == 0 and out2.strip() == "",
              (rc, out, err, out2, err2))

        # ServiceAccounts: each namespace's default one, and one for IRSA (its role annotation kept).
        sa = ("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: media\n  annotations:\n"
              "    eks.amazonaws.com/role-arn: arn:aws:iam::000000000000:role/media-uploads\n")
        rc, out, err = k("apply", "-f", "-", stdin=sa)
        rc2, out2, err2 = k("get", "serviceaccounts")
        rc3, out3, _ = k("get", "sa", "media", "-o", "jsonpath={.metadata.annotations.eks\\.amazonaws\\.com/role-arn}")
        check("kubectl get serviceaccounts: NAME SECRETS AGE, the namespace's default one and the applied IRSA one",
              rc == 0 and rc2 == 0 and out2.split("\n")[0].split() == ["NAME", "SECRETS", "AGE"] and
              [line.split()[:2] for line in out2.strip().split("\n")[1:]] == [["default", "0"], ["media", "0"]] and
              out3 == "arn:aws:iam::000000000000:role/media-uploads", (rc, out, err, out2, err2, out3))

        # A PodDisruptionBudget over the Deployment's pods: its status follows them on the simulated clock.
        pdb = ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 75%\n"
               "  selector:\n    matchLabels: {app: web}\n")
        rc, out, err = k("apply", "-f", "-", stdin=pdb)
        rc2, out2, err2 = k("get", "pdb")
        rc3, out3, _ = k("get", "pdb", "web", "-o", "jsonpath={.status.expectedPods} {.status.currentHealthy} "
                         "{.status.desiredHealthy} {.status.disruptionsAllowed}")
        check("kubectl get pdb: MIN AVAILABLE 75%, MAX UNAVAILABLE N/A, 6 ready pods of 6 allow 1 disruption",
              rc == 0 and rc2 == 0 and out2.split("\n")[0].split() == ["NAME", "MIN", "AVAILABLE", "MAX", "UNAVAILABLE", "ALLOWED",
                                                                          "DISRUPTIONS", "AGE"] and
              out2.split("\n")[1].split()[:4] == ["web", "75%", "N/A", "1"] and out3 == "6 6 5 1", (rc, out, err, out2, err2, out3))
        rc, out, err = k("apply", "-f", "-", stdin=pdb.replace("name: web", "name: both") + "  maxUnavailable: 1\n")
        check("minAvailable and maxUnavailable both set: 422",
              rc != 0 and "minAvailable and maxUnavailable cannot be both set" in err, (rc, err))
        k("delete", "pdb", "web")

        # Server-side apply.
        cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: '1'\n"
        rc, out, err = k("apply", "--server-side", "-f", "-", stdin=cm)
        rc2, out2, err2 = k("apply", "--server-side", "-f", "-", stdin=cm.replace("'1'", "'2'"))
        rc3, out3, _ = k("get", "configmap", "ssa", "-o", "jsonpath={.data.a}")
        check("kubectl apply --server-side creates, then applies a change",
              rc == 0 and "serverside-applied" in out and rc2 == 0 and out3 == "2", (rc, out, err, rc2, out2, err2, out3))

        # explain reads the OpenAPI v3 documents.
        rc, out, err = k("explain", "deployment.spec.replicas")
        check("kubectl explain deployment.spec.replicas", rc == 0 and "FIELD: replicas <integer>" in out and
              "Number of desired pods" in out, (rc, out, err))

        # The errors, as kubectl reports them.
        one = DEPLOYMENT.split("---")[0] % {"replicas": 3, "image": "nginx:1.27"}
        bad = one.replace("  replicas: 3", "  replica: 3").replace("name: web\n  labels", "name: bad\n  labels")
        rc, out, err = k("apply", "--validate=strict", "-f", "-", stdin=bad)
        check("an unknown field with --validate=strict: refused, the field named, non-zero exit",
              rc != 0 and 'strict decoding error: unknown field "spec.replica"' in err and "BadRequest" in err, (rc, out, err))
        rc, out, err = k("apply", "-n", "nowhere", "-f", manifest())
        check("a missing namespace: NotFound naming it", rc != 0 and 'namespaces "nowhere" not found' in err, (rc, err))
        rc, out, err = k("get", "deployment", "web", "-o", "json")
        stale = os.path.join(tmp, "stale.json")
        with open(stale, "w") as f:
            f.write(out)
        k("scale", "deployment/web", "--replicas=2")
        rc, out, err = k("replace", "-f", stale)
        check("a stale update: 409 Conflict", rc != 0 and "Error from server (Conflict)" in err and
              "the object has been modified" in err, (rc, err))
        wrong = "apiVersion: apps/v1\nkind: Deploymnt\nmetadata:\n  name: x\n"
        rc, out, err = k("apply", "--validate=false", "-f", "-", stdin=wrong)
        check("a wrong kind: discovery has no such kind", rc != 0 and 'no matches for kind "Deploymnt" in version "apps/v1"' in err,
              (rc, err))
        nosel = one.replace("    matchLabels: {app: web}\n", "    matchLabels: {app: other}\n")
        rc, out, err = k("apply", "-f", "-", stdin=nosel.replace("name: web\n  labels", "name: other\n  labels"))
        check("a selector that does not match the template: 422 Invalid with the field",
              rc != 0 and 'The Deployment "other" is invalid: spec.template.metadata.labels: Invalid value: '
              'map[string]string{"app":"web"}: `selector` does not match template `labels`' in err, (rc, err))

        # Delete.
        rc, out, err = k("delete", "-f", manifest())
        check("kubectl delete -f", rc == 0 and 'deployment.apps "web" deleted' in out, (rc, out, err))
        rc, out, err = k("get", "deployment", "web")
        check("a deleted Deployment is NotFound", rc != 0 and 'deployments.apps "web" not found' in err, (rc, err))
        # A cluster created through the EKS API gets its own Kubernetes API once ACTIVE.
        rc, out, err = srv.aws("eks", "create-cluster", "--name", "staging", "--role-arn",
                               "arn:aws:iam::000000000000:role/eks-cluster", "--resources-vpc-config",
                               "subnetIds=subnet-a,subnet-b")
        check("CreateCluster staging", rc == 0 and out["cluster"]["status"] == "CREATING", (rc, out, err))
        rc, out, err = k("--server", endpoint.replace(f"/eks/{cluster}", "/eks/staging"), "get", "namespaces")
        check("a CREATING cluster's API answers 503", rc != 0 and "the server is currently unable to handle the request" in err,
              (rc, err))
        srv.advance(900)
        p = subprocess.run(["aws", "eks", "update-kubeconfig", "--name", "staging", "--endpoint-url", srv.url],
                           capture_output=True, text=True, env=env, timeout=60)
        rc, out, err = k("get", "deployments,configmaps", "-o", "name")
        check("once ACTIVE, update-kubeconfig switches kubectl to it: its own objects, none of the other cluster's",
              p.returncode == 0 and rc == 0 and out.strip() == "", (p.stderr, rc, out, err))
        rc, out, err = k("apply", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: only-here\n")
        rc2, out2, err2 = k("--context", f"arn:aws:eks:us-east-1:000000000000:cluster/{cluster}", "get", "configmap", "only-here")
        check("objects stay in their cluster", rc == 0 and rc2 != 0 and "not found" in err2, (rc, out, err, rc2, err2))
        rc, out, err = k("create", "configmap", "imperative", "--from-literal=a=1")
        check("kubectl create configmap sends protobuf, which is refused with 415 and a clear message (a stated limit)",
              rc != 0 and "reads JSON, and protobuf only for an autoscaling/v1 HorizontalPodAutoscaler" in err, (rc, out, err))

        rc = srv.stop(10)
        check("serve stops on SIGTERM", rc == 0, rc)
    shutil.rmtree(tmp, ignore_errors=True)
    return summary(started)


if __name__ == "__main__":
    sys.exit(main())
