# The provider for applying examples/terraform/asis/edge.tf on its own (the as-is configuration
# declares this in its own files).
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
