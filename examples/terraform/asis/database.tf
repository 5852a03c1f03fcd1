# MySQL on RDS, Multi-AZ (a synchronous standby in a second AZ, automatic failover), with seven
# days of automated backups. The on-premises database is 500 GB; 600 GB leaves room to grow.

resource "aws_db_subnet_group" "main" {
  name       = "${var.environment}-db"
  subnet_ids = aws_subnet.private[*].id
  tags       = { Name = "${var.environment}-db" }
}

resource "aws_db_instance" "shop" {
  identifier              = "${var.environment}-shop-db"
  engine                  = "mysql"
  engine_version          = "8.0"
  instance_class          = "db.m6g.large"
  allocated_storage       = 600
  storage_type            = "gp3"
  db_name                 = "shop"
  username                = "shop_admin"
  password                = var.db_password
  db_subnet_group_name    = aws_db_subnet_group.main.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  multi_az                = true
  backup_retention_period = 7
  backup_window           = "03:00-04:00"
  maintenance_window      = "sun:05:00-sun:06:00"
  skip_final_snapshot     = true
  tags                    = { Name = "${var.environment}-shop-db", "migsim:service" = "mysql" }
}
