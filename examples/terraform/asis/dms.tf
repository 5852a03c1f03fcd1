# DMS serverless: full load of the on-premises MySQL into RDS, then change data capture until the
# cutover. Capacity scales between 2 and 16 DCUs (1 DCU = 2 GB of memory). The runbook starts the
# replication (StartReplication); terraform only declares it.

resource "aws_dms_replication_subnet_group" "main" {
  replication_subnet_group_id          = "${var.environment}-dms"
  replication_subnet_group_description = "Private subnets DMS serverless runs in"
  subnet_ids                           = aws_subnet.private[*].id
}

resource "aws_dms_endpoint" "source" {
  endpoint_id   = "${var.environment}-onprem-mysql"
  endpoint_type = "source"
  engine_name   = "mysql"
  server_name   = var.onprem_db_host
  port          = 3306
  username      = "dms_reader"
  password      = var.db_password
}

resource "aws_dms_endpoint" "target" {
  endpoint_id   = "${var.environment}-rds-mysql"
  endpoint_type = "target"
  engine_name   = "mysql"
  server_name   = aws_db_instance.shop.address
  port          = 3306
  username      = "shop_admin"
  password      = var.db_password
}

resource "aws_dms_replication_config" "shop" {
  replication_config_identifier = "${var.environment}-shop"
  replication_type              = "full-load-and-cdc"
  source_endpoint_arn           = aws_dms_endpoint.source.endpoint_arn
  target_endpoint_arn           = aws_dms_endpoint.target.endpoint_arn
  start_replication             = false

  table_mappings = jsonencode({
    rules = [{
      rule-type      = "selection"
      rule-id        = "1"
      rule-name      = "shop-schema"
      object-locator = { schema-name = "shop", table-name = "%" }
      rule-action    = "include"
    }]
  })

  compute_config {
    replication_subnet_group_id  = aws_dms_replication_subnet_group.main.replication_subnet_group_id
    vpc_security_group_ids       = [aws_security_group.dms.id]
    min_capacity_units           = 2
    max_capacity_units           = 16
    preferred_maintenance_window = "sun:06:00-sun:07:00"
  }
}
