variable "region" {
  description = "AWS region of the as-is estate."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Environment name, used in resource names and tags."
  type        = string
  default     = "asis"
}

variable "vpc_cidr" {
  description = "Address space of the VPC (must not overlap the on-premises network, 192.168.0.0/16)."
  type        = string
  default     = "10.20.0.0/16"
}

variable "az_count" {
  description = "How many availability zones the subnets, NAT gateways and Auto Scaling groups span (2 or 3)."
  type        = number
  default     = 2
  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3."
  }
}

variable "domain" {
  description = "The shop's public zone; the cutover points www at the ALB."
  type        = string
  default     = "fastengineering.com.br"
}

variable "onprem_db_host" {
  description = "The on-premises MySQL server DMS replicates from (reached over the Site-to-Site VPN)."
  type        = string
  default     = "192.168.10.20"
}

variable "db_password" {
  description = "Master password of the RDS instance and of the DMS endpoints (a rehearsal value; real runs read it from Secrets Manager)."
  type        = string
  default     = "rehearsal-only-Passw0rd"
  sensitive   = true
}

variable "alarm_email" {
  description = "Who the on-call SNS topic notifies."
  type        = string
  default     = "oncall@fastengineering.com.br"
}
