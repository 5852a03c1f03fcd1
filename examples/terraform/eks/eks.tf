# The EKS cluster: private API endpoint only, Kubernetes secrets encrypted with our KMS key, and two
# managed node groups spread over every availability zone.
resource "aws_eks_cluster" "this" {
  name     = var.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.platform.arn
    }
  }

  # The control plane must keep its permissions until it is gone.
  depends_on = [aws_iam_role_policy_attachment.cluster]
}

# System workloads (CoreDNS, the load balancer controller, the CSI drivers): small, on-demand.
resource "aws_eks_node_group" "system" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "system"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = ["m6i.large"]
  capacity_type   = "ON_DEMAND"

  scaling_config {
    min_size     = 2
    desired_size = 2
    max_size     = 3
  }
  labels = { role = "system" }

  depends_on = [aws_iam_role_policy_attachment.node]
}

# The frontend and the three APIs: the Cluster Autoscaler moves desired_size, so terraform ignores it.
resource "aws_eks_node_group" "apps" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "apps"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = var.node_instance_types
  capacity_type   = "ON_DEMAND"

  scaling_config {
    min_size     = 3
    desired_size = 3
    max_size     = 12
  }
  update_config {
    max_unavailable = 1
  }
  labels = { role = "apps" }

  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
  depends_on = [aws_iam_role_policy_attachment.node]
}

# The EFS CSI driver as a managed add-on, running as the IRSA role.
resource "aws_eks_addon" "efs_csi" {
  cluster_name             = aws_eks_cluster.this.name
  addon_name               = "aws-efs-csi-driver"
  service_account_role_arn = aws_iam_role.efs_csi.arn
  depends_on               = [aws_eks_node_group.system]
}
