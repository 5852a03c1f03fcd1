#include "harness/k8s/volumes.hpp"

#include <cstdint>
#include <cstdio>

namespace migsim::harness::k8s {

namespace {

const ResourceKey kClaims{"", "persistentvolumeclaims"};
const ResourceKey kVolumes{"", "persistentvolumes"};
const ResourceKey kClasses{"storage.k8s.io", "storageclasses"};

// An access point id as EFS writes them (fsap- and 17 hex digits), derived from the claim's uid so
// that a run is reproducible (FNV-1a).
std::string access_point_id(const std::string& uid)
{
  uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : uid)
    h = (h ^ ch) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "fsap-%017llx", static_cast<unsigned long long>(h));
  return buf;
}

// Provisions the volume of a Pending claim on an EFS StorageClass and binds the two.
void provision(Store& store, const json& claim, const json& sc, const std::string& now)
{
  const json meta = claim["metadata"], spec = claim.value("spec", json::object());
  const std::string ns = meta.value("namespace", ""), uid = meta.value("uid", "");
  const std::string pv_name = "pvc-" + uid;
  const json storage = spec.value("resources", json::object()).value("requests", json::object()).value("storage", json("0"));
  const json modes = spec.value("accessModes", json::array());
  const std::string fs = sc.value("parameters", json::object()).value("fileSystemId", "");
  // The access point the driver creates for the claim (provisioningMode efs-ap), named after it.
  const std::string access_point = access_point_id(uid);
  json pv = {{"apiVersion", "v1"},
             {"kind", "PersistentVolume"},
             {"metadata", {{"name", pv_name}, {"annotations", {{"pv.kubernetes.io/provisioned-by", kEfsProvisioner},
                                                               {"volume.kubernetes.io/provisioner-deletion-secret-name", ""},
                                                               {"volume.kubernetes.io/provisioner-deletion-secret-namespace", ""}}},
                           {"finalizers", {"kubernetes.io/pv-protection"}}}},
             {"spec", {{"accessModes", modes},
                       {"capacity", {{"storage", storage}}},
                       {"claimRef", {{"apiVersion", "v1"}, {"kind", "PersistentVolumeClaim"}, {"name", meta.value("name", "")},
                                     {"namespace", ns}, {"uid", uid}, {"resourceVersion", meta.value("resourceVersion", "")}}},
                       {"csi", {{"driver", kEfsProvisioner}, {"volumeHandle", fs + "::" + access_point}}},
                       {"persistentVolumeReclaimPolicy", sc.value("reclaimPolicy", "Delete")},
                       {"storageClassName", sc["metadata"].value("name", "")},
                       {"volumeMode", spec.value("volumeMode", "Filesystem")}}},
             {"status", {{"phase", "Bound"}, {"lastPhaseTransitionTime", now}}}};
  store.create(kVolumes, "", pv, now);
  json bound = claim;
  bound["metadata"].erase("resourceVersion");
  json& ann = bound["metadata"]["annotations"];
  ann["pv.kubernetes.io/bind-completed"] = "yes";
  ann["pv.kubernetes.io/bound-by-controller"] = "yes";
  ann["volume.beta.kubernetes.io/storage-provisioner"] = kEfsProvisioner;
  ann["volume.kubernetes.io/storage-provisioner"] = kEfsProvisioner;
  bound["spec"]["volumeName"] = pv_name;
  bound["status"] = {{"phase", "Bound"}, {"accessModes", modes}, {"capacity", {{"storage", storage}}}};
  store.update(kClaims, ns, bound);
}

}  // namespace

void advance_volumes(Store& store, double now_s, const std::function<std::string(double)>& iso)
{
  const std::string now = iso(now_s);
  for (const json& claim : store.list(kClaims, "")) {
    const json spec = claim.value("spec", json::object());
    if (claim.value("status", json::object()).value("phase", "Pending") != "Pending" || !spec.value("volumeName", "").empty())
      continue;
    const auto sc = store.get(kClasses, "", spec.value("storageClassName", ""));
    // Only the EFS driver provisions here; WaitForFirstConsumer waits for a pod the scheduler places.
    if (sc && sc->value("provisioner", "") == kEfsProvisioner && sc->value("volumeBindingMode", "Immediate") == "Immediate")
      provision(store, claim, *sc, now);
  }
  // A bound volume whose claim is gone is released: deleted (Delete) or kept as Released (Retain).
  for (const json& pv : store.list(kVolumes, "")) {
    const json ref = pv.value("spec", json::object()).value("claimRef", json::object());
    if (ref.empty() || pv.value("status", json::object()).value("phase", "") != "Bound")
      continue;
    const auto claim = store.get(kClaims, ref.value("namespace", ""), ref.value("name", ""));
    if (claim && (*claim)["metadata"].value("uid", "") == ref.value("uid", ""))
      continue;
    if (pv["spec"].value("persistentVolumeReclaimPolicy", "Retain") == "Delete") {
      store.remove(kVolumes, "", pv["metadata"].value("name", ""));
      continue;
    }
    json released = pv;
    released["metadata"].erase("resourceVersion");
    released["status"] = {{"phase", "Released"}, {"lastPhaseTransitionTime", now}};
    store.update(kVolumes, "", released);
  }
}

}  // namespace migsim::harness::k8s
