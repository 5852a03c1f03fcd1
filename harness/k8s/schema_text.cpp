// The schemas of the kinds the Kubernetes API serves, in a compact notation read by schema.cpp.
// Field names, types, merge keys and patch strategies are those of the Kubernetes API (apps/v1,
// core/v1, autoscaling/v1 and v2, networking.k8s.io/v1, storage.k8s.io/v1, policy/v1, meta/v1); descriptions are short summaries written for `kubectl explain`.
// Sub-objects not modelled field by field are `object` (any fields accepted, kept as sent).
//
//   type NAME : description          a schema, at the start of its line (NAME abbreviated: meta. core. apps.
//                                     autoscaling. (v1) autoscalingv2. networking. storage. policy.)
//   gvk GROUP VERSION KIND            the kind it is the schema of ("" group: core)
//   [!]field TYPE [{ext}] : desc      a property (indented); ! = required; TYPE is string, integer, boolean,
//                                     number, object (free-form), intstr (int or string), quantity,
//                                     map (string to string), @NAME (a schema), []T (a list of T);
//                                     ext: merge:KEY (strategic merge by KEY), merge (set of
//                                     primitives), retainKeys, atomic
#include "harness/k8s/schema.hpp"

namespace migsim::harness::k8s {

const char* schema_text()
{
  return R"(
type meta.ObjectMeta : ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.
  annotations map : Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.
  creationTimestamp string : CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only.
  deletionGracePeriodSeconds integer : Number of seconds allowed for this object to gracefully terminate before it will be removed from the system.
  deletionTimestamp string : DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.
  finalizers []string {merge} : Must be empty before the object is deleted from the registry.
  generateName string : GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.
  generation integer : A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.
  labels map : Map of string keys and values that can be used to organize and categorize (scope and select) objects.
  managedFields []object : ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.
  name string : Name must be unique within a namespace. Cannot be updated.
  namespace string : Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace.
  ownerReferences []@meta.OwnerReference {merge:uid} : List of objects depended by this object.
  resourceVersion string : An opaque value that represents the internal version of this object, used for optimistic concurrency.
  selfLink string : Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.
  uid string : UID is the unique in time and space value for this object. Populated by the system. Read-only.

type meta.OwnerReference : OwnerReference contains enough information to let you identify an owning object.
  !apiVersion string : API version of the referent.
  blockOwnerDeletion boolean : If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.
  controller boolean : If true, this reference points to the managing controller.
  !kind string : Kind of the referent.
  !name string : Name of the referent.
  !uid string : UID of the referent.

type meta.LabelSelector : A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed.
  matchExpressions []@meta.LabelSelectorRequirement : matchExpressions is a list of label selector requirements. The requirements are ANDed.
  matchLabels map : matchLabels is a map of {key,value} pairs.

type meta.LabelSelectorRequirement : A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.
  !key string : key is the label key that the selector applies to.
  !operator string : operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.
  values []string : values is an array of string values.

type apps.Deployment : Deployment enables declarative updates for Pods and ReplicaSets.
  gvk apps v1 Deployment
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @apps.DeploymentSpec : Specification of the desired behavior of the Deployment.
  status @apps.DeploymentStatus : Most recently observed status of the Deployment.

type apps.DeploymentSpec : DeploymentSpec is the specification of the desired behavior of the Deployment.
  minReadySeconds integer : Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0.
  paused boolean : Indicates that the deployment is paused.
  progressDeadlineSeconds integer : The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s.
  replicas integer : Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.
  revisionHistoryLimit integer : The number of old ReplicaSets to retain to allow rollback. Defaults to 10.
  !selector @meta.LabelSelector : Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.
  strategy @apps.DeploymentStrategy {retainKeys} : The deployment strategy to use to replace existing pods with new ones.
  !template @core.PodTemplateSpec : Template describes the pods that will be created.

type apps.DeploymentStrategy : DeploymentStrategy describes how to replace existing pods with new ones.
  rollingUpdate @apps.RollingUpdateDeployment : Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.
  type string : Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.

type apps.RollingUpdateDeployment : Spec to control the desired behavior of rolling update.
  maxSurge intstr : The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.
  maxUnavailable intstr : The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.

type apps.DeploymentStatus : DeploymentStatus is the most recently observed status of the Deployment.
  availableReplicas integer : Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.
  collisionCount integer : Count of hash collisions for the Deployment.
  conditions []@apps.DeploymentCondition {merge:type} : Represents the latest available observations of a deployment's current state.
  observedGeneration integer : The generation observed by the deployment controller.
  readyReplicas integer : Total number of ready pods targeted by this deployment.
  replicas integer : Total number of non-terminated pods targeted by this deployment (their labels match the selector).
  unavailableReplicas integer : Total number of unavailable pods targeted by this deployment.
  updatedReplicas integer : Total number of non-terminated pods targeted by this deployment that have the desired template spec.

type apps.DeploymentCondition : DeploymentCondition describes the state of a deployment at a certain point.
  lastTransitionTime string : Last time the condition transitioned from one status to another.
  lastUpdateTime string : The last time this condition was updated.
  message string : A human readable message indicating details about the transition.
  reason string : The reason for the condition's last transition.
  !status string : Status of the condition, one of True, False, Unknown.
  !type string : Type of deployment condition.

type apps.ReplicaSet : ReplicaSet ensures that a specified number of pod replicas are running at any given time.
  gvk apps v1 ReplicaSet
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @apps.ReplicaSetSpec : Spec defines the specification of the desired behavior of the ReplicaSet.
  status object : Status is the most recently observed status of the ReplicaSet. Populated by the system. Read-only.

type apps.ReplicaSetSpec : ReplicaSetSpec is the specification of a ReplicaSet.
  minReadySeconds integer : Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available.
  replicas integer : Replicas is the number of desired pods. Defaults to 1.
  !selector @meta.LabelSelector : Selector is a label query over pods that should match the replica count.
  template @core.PodTemplateSpec : Template is the object that describes the pod that will be created if insufficient replicas are detected.

type core.Pod : Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.
  gvk "" v1 Pod
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @core.PodSpec : Specification of the desired behavior of the pod.
  status object : Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only.

type core.PodTemplateSpec : PodTemplateSpec describes the data a pod should have when created from a template.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @core.PodSpec : Specification of the desired behavior of the pod.

type core.PodSpec : PodSpec is a description of a pod.
  activeDeadlineSeconds integer : Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.
  affinity object : If specified, the pod's scheduling constraints.
  automountServiceAccountToken boolean : AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.
  !containers []@core.Container {merge:name} : List of containers belonging to the pod. There must be at least one container in a Pod. Cannot be updated.
  dnsConfig object : Specifies the DNS parameters of a pod.
  dnsPolicy string : Set DNS policy for the pod. Defaults to "ClusterFirst".
  enableServiceLinks boolean : EnableServiceLinks indicates whether information about services should be injected into pod's environment variables.
  ephemeralContainers []object {merge:name} : List of ephemeral containers run in this pod.
  hostAliases []object {merge:ip} : HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.
  hostIPC boolean : Use the host's ipc namespace. Optional: Default to false.
  hostNetwork boolean : Host networking requested for this pod. Default to false.
  hostPID boolean : Use the host's pid namespace. Optional: Default to false.
  hostUsers boolean : Use the host's user namespace. Optional: Default to true.
  hostname string : Specifies the hostname of the Pod. If not specified, the pod's hostname will be set to a system-defined value.
  imagePullSecrets []object {merge:name} : ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.
  initContainers []@core.Container {merge:name} : List of initialization containers belonging to the pod.
  nodeName string : NodeName indicates in which node this pod is scheduled.
  nodeSelector map : NodeSelector is a selector which must be true for the pod to fit on a node.
  os object : Specifies the OS of the containers in the pod.
  overhead object : Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.
  preemptionPolicy string : PreemptionPolicy is the Policy for preempting pods with lower priority.
  priority integer : The priority value.
  priorityClassName string : If specified, indicates the pod's priority.
  readinessGates []object : If specified, all readiness gates will be evaluated for pod readiness.
  resourceClaims []object {merge:name} : ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.
  resources object : Resources is the total amount of CPU and Memory resources required by all containers in the pod.
  restartPolicy string : Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.
  runtimeClassName string : RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.
  schedulerName string : If specified, the pod will be dispatched by specified scheduler.
  schedulingGates []object {merge:name} : SchedulingGates is an opaque list of values that if specified will block scheduling the pod.
  securityContext object : SecurityContext holds pod-level security attributes and common container settings.
  serviceAccount string : DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.
  serviceAccountName string : ServiceAccountName is the name of the ServiceAccount to use to run this pod.
  setHostnameAsFQDN boolean : If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default).
  shareProcessNamespace boolean : Share a single process namespace between all of the containers in a pod.
  subdomain string : If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".
  terminationGracePeriodSeconds integer : Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.
  tolerations []object : If specified, the pod's tolerations.
  topologySpreadConstraints []object {merge:topologyKey} : TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.
  volumes []object {merge:name} : List of volumes that can be mounted by containers belonging to the pod.

type core.Container : A single application container that you want to run within a pod.
  args []string : Arguments to the entrypoint.
  command []string : Entrypoint array. Not executed within a shell.
  env []@core.EnvVar {merge:name} : List of environment variables to set in the container. Cannot be updated.
  envFrom []object : List of sources to populate environment variables in the container.
  image string : Container image name.
  imagePullPolicy string : Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.
  lifecycle object : Actions that the management system should take in response to container lifecycle events.
  livenessProbe object : Periodic probe of container liveness. Container will be restarted if the probe fails.
  !name string : Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.
  ports []@core.ContainerPort {merge:containerPort} : List of ports to expose from the container.
  readinessProbe object : Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails.
  resizePolicy []object : Resources resize policy for the container.
  resources @core.ResourceRequirements : Compute Resources required by this container.
  restartPolicy string : RestartPolicy defines the restart behavior of individual containers in a pod.
  securityContext object : SecurityContext defines the security options the container should be run with.
  startupProbe object : StartupProbe indicates that the Pod has successfully initialized.
  stdin boolean : Whether this container should allocate a buffer for stdin in the container runtime.
  stdinOnce boolean : Whether the container runtime should close the stdin channel after it has been opened by a single attach.
  terminationMessagePath string : Path at which the file to which the container's termination message will be written is mounted into the container's filesystem.
  terminationMessagePolicy string : Indicate how the termination message should be populated.
  tty boolean : Whether this container should allocate a TTY for itself.
  volumeDevices []object {merge:devicePath} : volumeDevices is the list of block devices to be used by the container.
  volumeMounts []@core.VolumeMount {merge:mountPath} : Pod volumes to mount into the container's filesystem. Cannot be updated.
  workingDir string : Container's working directory.

type core.EnvVar : EnvVar represents an environment variable present in a Container.
  !name string : Name of the environment variable. Must be a C_IDENTIFIER.
  value string : Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables.
  valueFrom object : Source for the environment variable's value. Cannot be used if value is not empty.

type core.ContainerPort : ContainerPort represents a network port in a single container.
  !containerPort integer : Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.
  hostIP string : What host IP to bind the external port to.
  hostPort integer : Number of port to expose on the host.
  name string : If specified, this must be an IANA_SVC_NAME and unique within the pod.
  protocol string : Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".

type core.ResourceRequirements : ResourceRequirements describes the compute resource requirements.
  claims []object : Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.
  limits object : Limits describes the maximum amount of compute resources allowed.
  requests object : Requests describes the minimum amount of compute resources required.

type core.VolumeMount : VolumeMount describes a mounting of a Volume within a container.
  !mountPath string : Path within the container at which the volume should be mounted. Must not contain ':'.
  mountPropagation string : mountPropagation determines how mounts are propagated from the host to container and the other way around.
  !name string : This must match the Name of a Volume.
  readOnly boolean : Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.
  recursiveReadOnly string : RecursiveReadOnly specifies whether read-only mounts should be handled recursively.
  subPath string : Path within the volume from which the container's volume should be mounted. Defaults to "" (volume's root).
  subPathExpr string : Expanded path within the volume from which the container's volume should be mounted.

type core.ConfigMap : ConfigMap holds configuration data for pods to consume.
  gvk "" v1 ConfigMap
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  binaryData object : BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'.
  data map : Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.
  immutable boolean : Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.

type core.Secret : Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.
  gvk "" v1 Secret
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  data map : Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string.
  immutable boolean : Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  stringData map : stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write.
  type string : Used to facilitate programmatic handling of secret data. Defaults to Opaque.

type core.Namespace : Namespace provides a scope for Names. Use of multiple namespaces is optional.
  gvk "" v1 Namespace
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @core.NamespaceSpec : Spec defines the behavior of the Namespace.
  status @core.NamespaceStatus : Status describes the current status of a Namespace.

type core.NamespaceSpec : NamespaceSpec describes the attributes on a Namespace.
  finalizers []string : Finalizers is an opaque list of values that must be empty to permanently remove object from storage.

type core.NamespaceStatus : NamespaceStatus is information about the current status of a Namespace.
  conditions []object {merge:type} : Represents the latest available observations of a namespace's current state.
  phase string : Phase is the current lifecycle phase of the namespace.

type core.Service : Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.
  gvk "" v1 Service
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @core.ServiceSpec : Spec defines the behavior of a service.
  status object : Most recently observed status of the service. Populated by the system. Read-only.

type core.ServiceSpec : ServiceSpec describes the attributes that a user creates on a service.
  allocateLoadBalancerNodePorts boolean : allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer.
  clusterIP string : clusterIP is the IP address of the service and is usually assigned randomly.
  clusterIPs []string : ClusterIPs is a list of IP addresses assigned to this service.
  externalIPs []string : externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.
  externalName string : externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).
  externalTrafficPolicy string : externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service's "externally-facing" addresses.
  healthCheckNodePort integer : healthCheckNodePort specifies the healthcheck nodePort for the service.
  internalTrafficPolicy string : InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.
  ipFamilies []string : IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.
  ipFamilyPolicy string : IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.
  loadBalancerClass string : loadBalancerClass is the class of the load balancer implementation this Service belongs to.
  loadBalancerIP string : Only applies to Service Type: LoadBalancer. Deprecated.
  loadBalancerSourceRanges []string : If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.
  ports []@core.ServicePort {merge:port} : The list of ports that are exposed by this service.
  publishNotReadyAddresses boolean : publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.
  selector map : Route service traffic to pods with label keys and values matching this selector.
  sessionAffinity string : Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.
  sessionAffinityConfig object : sessionAffinityConfig contains the configurations of session affinity.
  trafficDistribution string : TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.
  type string : type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.

type core.ServicePort : ServicePort contains information on service's port.
  appProtocol string : The application protocol for this port.
  name string : The name of this port within the service. This must be a DNS_LABEL.
  nodePort integer : The port on each node on which this service is exposed when type is NodePort or LoadBalancer.
  !port integer : The port that will be exposed by this service.
  protocol string : The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.
  targetPort intstr : Number or name of the port to access on the pods targeted by the service.

type autoscaling.Scale : Scale represents a scaling request for a resource.
  gvk autoscaling v1 Scale
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object metadata.
  spec @autoscaling.ScaleSpec : spec defines the behavior of the scale.
  status @autoscaling.ScaleStatus : status is the current status of the scale.

type autoscaling.ScaleSpec : ScaleSpec describes the attributes of a scale subresource.
  replicas integer : replicas is the desired number of instances for the scaled object.

type autoscaling.ScaleStatus : ScaleStatus represents the current status of a scale subresource.
  !replicas integer : replicas is the actual number of observed instances of the scaled object.
  selector string : selector is the label query over pods that should match the replicas count.

type networking.Ingress : Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend. An Ingress can be configured to give services externally-reachable urls, load balance traffic, terminate SSL, offer name based virtual hosting etc.
  gvk networking.k8s.io v1 Ingress
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @networking.IngressSpec : spec is the desired state of the Ingress.
  status object : status is the current state of the Ingress. Populated by the system. Read-only.

type networking.IngressSpec : IngressSpec describes the Ingress the user wishes to exist.
  defaultBackend @networking.IngressBackend : defaultBackend is the backend that should handle requests that don't match any rule.
  ingressClassName string : ingressClassName is the name of an IngressClass cluster resource. Ingress controller implementations use this field to know whether they should be serving this Ingress resource.
  rules []@networking.IngressRule : rules is a list of host rules used to configure the Ingress. If unspecified, or no rule matches, all traffic is sent to the default backend.
  tls []@networking.IngressTLS : tls represents the TLS configuration.

type networking.IngressBackend : IngressBackend describes all endpoints for a given service and port.
  resource object : resource is an ObjectRef to another Kubernetes resource in the namespace of the Ingress object. If resource is specified, a service.Name and service.Port must not be specified.
  service @networking.IngressServiceBackend : service references a service as a backend. This is a mutually exclusive setting with "Resource".

type networking.IngressServiceBackend : IngressServiceBackend references a Kubernetes Service as a Backend.
  !name string : name is the referenced service. The service must exist in the same namespace as the Ingress object.
  port @networking.ServiceBackendPort : port of the referenced service. A port name or port number is required for a IngressServiceBackend.

type networking.ServiceBackendPort : ServiceBackendPort is the service port being referenced.
  name string : name is the name of the port on the Service. This is a mutually exclusive setting with "Number".
  number integer : number is the numerical port number (e.g. 80) on the Service. This is a mutually exclusive setting with "Name".

type networking.IngressRule : IngressRule represents the rules mapping the paths under a specified host to the related backend services. Incoming requests are first evaluated for a host match, then routed to the backend associated with the matching IngressRuleValue.
  host string : host is the fully qualified domain name of a network host, as defined by RFC 3986. Wildcard hosts ("*.foo.com") are supported.
  http @networking.HTTPIngressRuleValue : http is a list of http selectors pointing to backends.

type networking.HTTPIngressRuleValue : HTTPIngressRuleValue is a list of http selectors pointing to backends.
  !paths []@networking.HTTPIngressPath : paths is a collection of paths that map requests to backends.

type networking.HTTPIngressPath : HTTPIngressPath associates a path with a backend. Incoming urls matching the path are forwarded to the backend.
  !backend @networking.IngressBackend : backend defines the referenced service endpoint to which the traffic will be forwarded to.
  path string : path is matched against the path of an incoming request. Paths must begin with a '/' and must be present when using PathType with value "Exact" or "Prefix".
  !pathType string : pathType determines the interpretation of the path matching. PathType can be one of Exact, Prefix or ImplementationSpecific.

type networking.IngressTLS : IngressTLS describes the transport layer security associated with an ingress.
  hosts []string : hosts is a list of hosts included in the TLS certificate.
  secretName string : secretName is the name of the secret used to terminate TLS traffic on port 443.

type networking.IngressClass : IngressClass represents the class of the Ingress, referenced by the Ingress Spec. The `ingressclass.kubernetes.io/is-default-class` annotation can be used to indicate that an IngressClass should be considered default.
  gvk networking.k8s.io v1 IngressClass
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @networking.IngressClassSpec : spec is the desired state of the IngressClass.

type networking.IngressClassSpec : IngressClassSpec provides information about the class of an Ingress.
  controller string : controller refers to the name of the controller that should handle this class. The AWS Load Balancer Controller's is "ingress.k8s.aws/alb".
  parameters object : parameters is a link to a custom resource containing additional configuration for the controller.

type core.PersistentVolumeClaim : PersistentVolumeClaim is a user's request for and claim to a persistent volume
  gvk "" v1 PersistentVolumeClaim
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @core.PersistentVolumeClaimSpec : spec defines the desired characteristics of a volume requested by a pod author.
  status @core.PersistentVolumeClaimStatus : status represents the current information/status of a persistent volume claim. Read-only.

type core.PersistentVolumeClaimSpec : PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes
  accessModes []string : accessModes contains the desired access modes the volume should have (ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod).
  dataSource object : dataSource field can be used to specify either an existing VolumeSnapshot object or an existing PVC.
  dataSourceRef object : dataSourceRef specifies the object from which to populate the volume with data, if a non-empty volume is desired.
  resources @core.VolumeResourceRequirements : resources represents the minimum resources the volume should have.
  selector @meta.LabelSelector : selector is a label query over volumes to consider for binding.
  storageClassName string : storageClassName is the name of the StorageClass required by the claim.
  volumeAttributesClassName string : volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.
  volumeMode string : volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.
  volumeName string : volumeName is the binding reference to the PersistentVolume backing this claim.

type core.VolumeResourceRequirements : VolumeResourceRequirements describes the storage resource requirements for a volume.
  limits object : Limits describes the maximum amount of compute resources allowed.
  requests object : Requests describes the minimum amount of compute resources required (storage).

type core.PersistentVolumeClaimStatus : PersistentVolumeClaimStatus is the current status of a persistent volume claim.
  accessModes []string : accessModes contains the actual access modes the volume backing the PVC has.
  allocatedResourceStatuses object : allocatedResourceStatuses stores status of resource being resized for the given PVC.
  allocatedResources object : allocatedResources tracks the resources allocated to a PVC including its capacity.
  capacity object : capacity represents the actual resources of the underlying volume.
  conditions []object {merge:type} : conditions is the current Condition of persistent volume claim.
  phase string : phase represents the current phase of PersistentVolumeClaim (Pending, Bound, Lost).

type core.PersistentVolume : PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node.
  gvk "" v1 PersistentVolume
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @core.PersistentVolumeSpec : spec defines a specification of a persistent volume owned by the cluster. Provisioned by an administrator.
  status @core.PersistentVolumeStatus : status represents the current information/status for the persistent volume. Populated by the system. Read-only.

type core.PersistentVolumeSpec : PersistentVolumeSpec is the specification of a persistent volume.
  accessModes []string : accessModes contains all ways the volume can be mounted.
  awsElasticBlockStore object : awsElasticBlockStore represents an AWS Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Deprecated.
  capacity object : capacity is the description of the persistent volume's resources and capacity.
  claimRef object : claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.
  csi object : csi represents storage that is handled by an external CSI driver.
  hostPath object : hostPath represents a directory on the host.
  local object : local represents directly-attached storage with node affinity.
  mountOptions []string : mountOptions is the list of mount options, e.g. ["ro", "soft"].
  nfs object : nfs represents an NFS mount on the host.
  nodeAffinity object : nodeAffinity defines constraints that limit what nodes this volume can be accessed from.
  persistentVolumeReclaimPolicy string : persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated).
  storageClassName string : storageClassName is the name of StorageClass to which this persistent volume belongs.
  volumeAttributesClassName string : Name of VolumeAttributesClass to which this persistent volume belongs.
  volumeMode string : volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.

type core.PersistentVolumeStatus : PersistentVolumeStatus is the current status of a persistent volume.
  lastPhaseTransitionTime string : lastPhaseTransitionTime is the time the phase transitioned from one to another.
  message string : message is a human-readable message indicating details about why the volume is in this state.
  phase string : phase indicates if a volume is available, bound to a claim, or released by a claim.
  reason string : reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.

type storage.StorageClass : StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned.
  gvk storage.k8s.io v1 StorageClass
  allowVolumeExpansion boolean : allowVolumeExpansion shows whether the storage class allow volume expand.
  allowedTopologies []object : allowedTopologies restrict the node topologies where volumes can be dynamically provisioned.
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  mountOptions []string : mountOptions controls the mountOptions for dynamically provisioned PersistentVolumes of this storage class.
  parameters map : parameters holds the parameters for the provisioner that should create volumes of this storage class (for efs.csi.aws.com: provisioningMode, fileSystemId, directoryPerms, ...).
  !provisioner string : provisioner indicates the type of the provisioner (efs.csi.aws.com for Amazon EFS).
  reclaimPolicy string : reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.
  volumeBindingMode string : volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound. When unset, VolumeBindingImmediate is used.

type core.ServiceAccount : ServiceAccount binds together: a name, understood by users, and perhaps by peripheral systems, for an identity; a principal that can be authenticated and authorized; a set of secrets. On EKS the annotation eks.amazonaws.com/role-arn gives its pods an IAM role (IRSA).
  gvk "" v1 ServiceAccount
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  automountServiceAccountToken boolean : AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.
  imagePullSecrets []@core.LocalObjectReference : ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  secrets []@core.ObjectReference {merge:name} : Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.

type core.Event : Event is a report of an event somewhere in the cluster (here: what the simulated cluster's scheduler, autoscalers, kubelets and controllers did).
  gvk "" v1 Event
  action string : What action was taken/failed regarding to the Regarding object.
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  count integer : The number of times this event has occurred.
  eventTime string : Time when this Event was first observed.
  firstTimestamp string : The time at which the event was first recorded.
  !involvedObject @core.ObjectReference : The object that this event is about.
  kind string : Kind is a string value representing the REST resource this object represents.
  lastTimestamp string : The time at which the most recent occurrence of this event was recorded.
  message string : A human-readable description of the status of this operation.
  !metadata @meta.ObjectMeta : Standard object's metadata.
  reason string : This should be a short, machine understandable string that gives the reason for the transition into the object's current status.
  related @core.ObjectReference : Optional secondary object for more complex actions.
  reportingComponent string : Name of the controller that emitted this Event.
  reportingInstance string : ID of the controller instance.
  series object : Data about the Event series this event represents.
  source @core.EventSource : The component reporting this event.
  type string : Type of this event (Normal, Warning).

type core.EventSource : EventSource contains information for an event.
  component string : Component from which the event is generated.
  host string : Node name on which the event is generated.

type metrics.NodeMetrics : NodeMetrics sets resource usage metrics of a node (metrics-server's, here the EKS model's simulated CPU).
  gvk metrics.k8s.io v1beta1 NodeMetrics
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  timestamp string : The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].
  usage map : The memory and CPU usage of the node.
  window string : The length of the interval the usage was averaged over.

type metrics.PodMetrics : PodMetrics sets resource usage metrics of a pod.
  gvk metrics.k8s.io v1beta1 PodMetrics
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  containers []@metrics.ContainerMetrics : Metrics for all containers are collected within the same time window.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  timestamp string : The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].
  window string : The length of the interval the usage was averaged over.

type metrics.ContainerMetrics : ContainerMetrics sets resource usage metrics of a container.
  name string : Container name corresponding to the one from pod.spec.containers.
  usage map : The memory and CPU usage of the container.

type core.LocalObjectReference : LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.
  name string : Name of the referent.

type core.ObjectReference : ObjectReference contains enough information to let you inspect or modify the referred object.
  apiVersion string : API version of the referent.
  fieldPath string : If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.
  kind string : Kind of the referent.
  name string : Name of the referent.
  namespace string : Namespace of the referent.
  resourceVersion string : Specific resourceVersion to which this reference is made, if any.
  uid string : UID of the referent.

type policy.PodDisruptionBudget : PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods
  gvk policy v1 PodDisruptionBudget
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @policy.PodDisruptionBudgetSpec : Specification of the desired behavior of the PodDisruptionBudget.
  status @policy.PodDisruptionBudgetStatus : Most recently observed status of the PodDisruptionBudget.

type policy.PodDisruptionBudgetSpec : PodDisruptionBudgetSpec is a description of a PodDisruptionBudget.
  maxUnavailable intstr : An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction. Mutually exclusive with minAvailable.
  minAvailable intstr : An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction. Mutually exclusive with maxUnavailable.
  selector @meta.LabelSelector : Label query over pods whose evictions are managed by the disruption budget. A null selector will match no pods, while an empty ({}) selector will select all pods within the namespace.
  unhealthyPodEvictionPolicy string : UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction (IfHealthyBudget, AlwaysAllow).

type policy.PodDisruptionBudgetStatus : PodDisruptionBudgetStatus represents information about the status of a PodDisruptionBudget.
  conditions []object {merge:type} : Conditions contain conditions for PDB (DisruptionAllowed).
  !currentHealthy integer : current number of healthy pods
  !desiredHealthy integer : minimum desired number of healthy pods
  disruptedPods object : DisruptedPods contains information about pods whose eviction was processed by the API server eviction subresource handler but has not yet been observed by the PodDisruptionBudget controller.
  !disruptionsAllowed integer : Number of pod disruptions that are currently allowed.
  !expectedPods integer : total number of pods counted by this disruption budget
  observedGeneration integer : Most recent generation observed when updating this PDB status.

type core.Node : Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).
  gvk "" v1 Node
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object's metadata.
  spec @core.NodeSpec : Spec defines the behavior of a node.
  status object : Most recently observed status of the node (capacity, allocatable, conditions, addresses, nodeInfo). Populated by the system. Read-only.

type core.NodeSpec : NodeSpec describes the attributes that a node is created with.
  configSource object : Deprecated: Previously used to specify the source of the node's configuration for the DynamicKubeletConfig feature.
  externalID string : Deprecated. Not all kubelets will set this field.
  podCIDR string : PodCIDR represents the pod IP range assigned to the node.
  podCIDRs []string {merge} : podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node.
  providerID string : ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>
  taints []object : If specified, the node's taints.
  unschedulable boolean : Unschedulable controls node schedulability of new pods. By default, node is schedulable.

type autoscalingv2.HorizontalPodAutoscaler : HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.
  gvk autoscaling v2 HorizontalPodAutoscaler
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : metadata is the standard object metadata.
  spec @autoscalingv2.HorizontalPodAutoscalerSpec : spec is the specification for the behaviour of the autoscaler.
  status @autoscalingv2.HorizontalPodAutoscalerStatus : status is the current information about the autoscaler.

type autoscalingv2.HorizontalPodAutoscalerSpec : HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler.
  behavior @autoscalingv2.HorizontalPodAutoscalerBehavior : behavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively).
  !maxReplicas integer : maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.
  metrics []@autoscalingv2.MetricSpec : metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used). If not set, the default metric will be set to 80% average CPU utilization.
  minReplicas integer : minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.
  !scaleTargetRef @autoscalingv2.CrossVersionObjectReference : scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.

type autoscalingv2.CrossVersionObjectReference : CrossVersionObjectReference contains enough information to let you identify the referred resource.
  apiVersion string : apiVersion is the API version of the referent.
  !kind string : kind is the kind of the referent; More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds
  !name string : name is the name of the referent.

type autoscalingv2.MetricSpec : MetricSpec specifies how to scale based on a single metric (only `type` and one other matching field should be set at once).
  containerResource object : containerResource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing a single container in each pod of the current scale target.
  external object : external refers to a global metric that is not associated with any Kubernetes object.
  object object : object refers to a metric describing a single kubernetes object (for example, hits-per-second on an Ingress object).
  pods object : pods refers to a metric describing each pod in the current scale target (for example, transactions-processed-per-second).
  resource @autoscalingv2.ResourceMetricSource : resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing each pod in the current scale target (e.g. CPU or memory).
  !type string : type is the type of metric source. It should be one of "ContainerResource", "External", "Object", "Pods" or "Resource", each mapping to a matching field in the object.

type autoscalingv2.ResourceMetricSource : ResourceMetricSource indicates how to scale on a resource metric known to Kubernetes, as specified in requests and limits, describing each pod in the current scale target (e.g. CPU or memory).
  !name string : name is the name of the resource in question.
  !target @autoscalingv2.MetricTarget : target specifies the target value for the given metric

type autoscalingv2.MetricTarget : MetricTarget defines the target value, average value, or average utilization of a specific metric
  averageUtilization integer : averageUtilization is the target value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods.
  averageValue quantity : averageValue is the target value of the average of the metric across all relevant pods (as a quantity)
  !type string : type represents whether the metric type is Utilization, Value, or AverageValue
  value quantity : value is the target value of the metric (as a quantity).

type autoscalingv2.HorizontalPodAutoscalerBehavior : HorizontalPodAutoscalerBehavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively).
  scaleDown @autoscalingv2.HPAScalingRules : scaleDown is scaling policy for scaling Down. If not set, the default value is to allow to scale down to minReplicas pods, with a 300 second stabilization window.
  scaleUp @autoscalingv2.HPAScalingRules : scaleUp is scaling policy for scaling Up. If not set, the default value is the higher of: increase no more than 4 pods per 60 seconds; double the number of pods per 60 seconds. No stabilization is used.

type autoscalingv2.HPAScalingRules : HPAScalingRules configures the scaling behavior for one direction.
  policies []@autoscalingv2.HPAScalingPolicy : policies is a list of potential scaling polices which can be used during scaling.
  selectPolicy string : selectPolicy is used to specify which policy should be used. If not set, the default value Max is used.
  stabilizationWindowSeconds integer : stabilizationWindowSeconds is the number of seconds for which past recommendations should be considered while scaling up or scaling down.

type autoscalingv2.HPAScalingPolicy : HPAScalingPolicy is a single policy which must hold true for a specified past interval.
  !periodSeconds integer : periodSeconds specifies the window of time for which the policy should hold true. PeriodSeconds must be greater than zero and less than or equal to 1800 (30 min).
  !type string : type is used to specify the scaling policy.
  !value integer : value contains the amount of change which is permitted by the policy. It must be greater than zero

type autoscalingv2.HorizontalPodAutoscalerStatus : HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler.
  conditions []@autoscalingv2.HorizontalPodAutoscalerCondition {merge:type} : conditions is the set of conditions required for this autoscaler to scale its target, and indicates whether or not those conditions are met.
  currentMetrics []object : currentMetrics is the last read state of the metrics used by this autoscaler.
  currentReplicas integer : currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.
  !desiredReplicas integer : desiredReplicas is the desired number of replicas of pods managed by this autoscaler, as last calculated by the autoscaler.
  lastScaleTime string : lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods, used by the autoscaler to control how often the number of pods is changed.
  observedGeneration integer : observedGeneration is the most recent generation observed by this autoscaler.

type autoscalingv2.HorizontalPodAutoscalerCondition : HorizontalPodAutoscalerCondition describes the state of a HorizontalPodAutoscaler at a certain point.
  lastTransitionTime string : lastTransitionTime is the last time the condition transitioned from one status to another
  message string : message is a human-readable explanation containing details about the transition
  reason string : reason is the reason for the condition's last transition.
  !status string : status is the status of the condition (True, False, Unknown)
  !type string : type describes the current condition

type autoscaling.HorizontalPodAutoscaler : configuration of a horizontal pod autoscaler.
  gvk autoscaling v1 HorizontalPodAutoscaler
  apiVersion string : APIVersion defines the versioned schema of this representation of an object.
  kind string : Kind is a string value representing the REST resource this object represents.
  metadata @meta.ObjectMeta : Standard object metadata.
  spec @autoscaling.HorizontalPodAutoscalerSpec : spec defines the behaviour of autoscaler.
  status @autoscaling.HorizontalPodAutoscalerStatus : status is the current information about the autoscaler.

type autoscaling.HorizontalPodAutoscalerSpec : specification of a horizontal pod autoscaler.
  !maxReplicas integer : maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.
  minReplicas integer : minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.
  !scaleTargetRef @autoscaling.CrossVersionObjectReference : reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.
  targetCPUUtilizationPercentage integer : targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used.

type autoscaling.CrossVersionObjectReference : CrossVersionObjectReference contains enough information to let you identify the referred resource.
  apiVersion string : apiVersion is the API version of the referent
  !kind string : kind is the kind of the referent; More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds
  !name string : name is the name of the referent.

type autoscaling.HorizontalPodAutoscalerStatus : current status of a horizontal pod autoscaler
  currentCPUUtilizationPercentage integer : currentCPUUtilizationPercentage is the current average CPU utilization over all pods, represented as a percentage of requested CPU.
  currentReplicas integer : currentReplicas is the current number of replicas of pods managed by this autoscaler.
  !desiredReplicas integer : desiredReplicas is the  desired number of replicas of pods managed by this autoscaler.
  lastScaleTime string : lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods; used by the autoscaler to control how often the number of pods is changed.
  observedGeneration integer : observedGeneration is the most recent generation observed by this autoscaler.
)";
}

}  // namespace migsim::harness::k8s
