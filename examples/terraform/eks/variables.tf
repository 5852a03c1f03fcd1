variable "region" {
  description = "AWS region of the estate."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Prefix of every resource name (the estate's short name)."
  type        = string
  default     = "fast-eks"
}

variable "kubernetes_version" {
  description = "EKS control plane version."
  type        = string
  default     = "1.30"
}

variable "vpc_cidr" {
  description = "CIDR of the cluster's own VPC."
  type        = string
  default     = "10.20.0.0/16"
}

variable "azs" {
  description = "Availability zones the node groups and EFS mount targets spread over."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "api_services" {
  description = "The three APIs split out of the old backend: one ECR repository and one secret each."
  type        = list(string)
  default     = ["catalog", "orders", "users"]
}

variable "node_instance_types" {
  description = "Instance types of the general-purpose node group."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "source_db_identifier" {
  description = "Identifier of the RDS MySQL primary to replicate (the as-is database). Empty: this configuration creates a small primary of its own so that it applies alone."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default = {
    Project     = "fast-migration"
    Environment = "rehearsal"
    ManagedBy   = "terraform"
  }
}

variable "alert_rules_file" {
  description = "Prometheus rule file loaded into the Managed Prometheus workspace (relative to the working directory)."
  type        = string
  default     = "../../prometheus/rules.yml"
}
