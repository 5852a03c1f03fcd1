# Credentials and endpoints come from the environment (or, against migsim, from the override file
# `migsim terraform-override` prints): nothing here is specific to the rehearsal.
provider "aws" {
  region = var.region
  default_tags {
    tags = var.tags
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
