# The cluster's own small VPC: one private subnet per availability zone for the nodes, the EKS
# control plane's network interfaces and the EFS mount targets. (The as-is VPC could be reused
# instead; a VPC of its own keeps this configuration applicable on its own.)
resource "aws_vpc" "eks" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "${var.name}-vpc" }
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.eks.id
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 4, count.index)
  tags = {
    Name                              = "${var.name}-private-${var.azs[count.index]}"
    "kubernetes.io/role/internal-elb" = "1"
  }
}

# NFS from inside the VPC only: what the EFS CSI driver's pods need to mount the file system.
resource "aws_security_group" "efs" {
  name        = "${var.name}-efs"
  description = "NFS from the cluster's VPC to the EFS mount targets"
  vpc_id      = aws_vpc.eks.id

  ingress {
    description = "NFS"
    from_port   = 2049
    to_port     = 2049
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
