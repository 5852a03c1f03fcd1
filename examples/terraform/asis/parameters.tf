# Configuration the instances read at boot (SSM Parameter Store).

resource "aws_ssm_parameter" "db_host" {
  name        = "/shop/${var.environment}/db/host"
  description = "Writer endpoint of the shop database"
  type        = "String"
  value       = aws_db_instance.shop.address
}

resource "aws_ssm_parameter" "db_name" {
  name  = "/shop/${var.environment}/db/name"
  type  = "String"
  value = aws_db_instance.shop.db_name
}

resource "aws_ssm_parameter" "public_url" {
  name  = "/shop/${var.environment}/public-url"
  type  = "String"
  value = "https://shop.${var.domain}"
}
