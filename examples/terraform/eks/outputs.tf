output "cluster_name" {
  value = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "The Kubernetes API server (against migsim, a loopback URL of the rehearsal)."
  value       = aws_eks_cluster.this.endpoint
}

output "oidc_provider_arn" {
  value = aws_iam_openid_connect_provider.eks.arn
}

output "efs_file_system_id" {
  value = aws_efs_file_system.shared.id
}

output "efs_access_point_id" {
  value = aws_efs_access_point.assets.id
}

output "ecr_repository_urls" {
  value = { for k, r in aws_ecr_repository.app : k => r.repository_url }
}

output "replica_address" {
  value = aws_db_instance.replica.address
}
