# The modernised estate of Fast Engineering S/A on EKS: the cluster and its managed node groups,
# their IAM, the OIDC provider for service accounts, shared storage (EFS), the image registries,
# encryption and secrets, and the database read replica the APIs read from.
#
# Against migsim: `migsim terraform-override > migsim_override.tf` (or the endpoints {} block in
# provider.tf), then terraform init / apply as usual. Everything here also applies to real AWS.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
