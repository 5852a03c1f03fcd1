# The edge and audit configuration applies on its own, next to the as-is estate
# (examples/terraform/asis/) in the same account and region.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}
