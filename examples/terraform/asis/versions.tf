# The as-is target of the lift-and-shift: the three on-premises servers (frontend, backend with Nginx
# in front of three APIs, MySQL) become Auto Scaling groups behind an ALB and an RDS MySQL Multi-AZ
# instance, fed by DMS serverless, with Route 53 switching the shop's name at cutover.
#
# Against migsim: `migsim terraform-override > migsim_override.tf` in this folder points every
# service at a local `migsim serve` (docs/terraform.md). Without the override the same files target
# real AWS.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }
  }
}

provider "aws" {
  region = var.region

  # Every resource carries these; the team filters the bill and the console by them.
  default_tags {
    tags = {
      Project     = "fast-engineering-shop"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
