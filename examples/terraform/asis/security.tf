# Security groups: the internet reaches only the ALB; the ALB reaches the instances on their service
# port; only the instances and DMS reach MySQL.

resource "aws_security_group" "alb" {
  name        = "${var.environment}-alb"
  description = "Public HTTP(S) to the load balancer"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTP from anywhere"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    description = "HTTPS from anywhere"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    description = "To the instances"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.vpc_cidr]
  }
  tags = { Name = "${var.environment}-alb" }
}

resource "aws_security_group" "app" {
  name        = "${var.environment}-app"
  description = "Frontend and API instances"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "Service port from the ALB"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  egress {
    description = "Anywhere (package mirrors through NAT, RDS, S3)"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "${var.environment}-app" }
}

resource "aws_security_group" "dms" {
  name        = "${var.environment}-dms"
  description = "DMS serverless replication"
  vpc_id      = aws_vpc.main.id

  egress {
    description = "MySQL on premises (VPN) and on RDS"
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "${var.environment}-dms" }
}

resource "aws_security_group" "db" {
  name        = "${var.environment}-db"
  description = "RDS MySQL"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "MySQL from the instances and DMS"
    from_port       = 3306
    to_port         = 3306
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id, aws_security_group.dms.id]
  }
  tags = { Name = "${var.environment}-db" }
}
