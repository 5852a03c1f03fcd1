output "alb_dns_name" {
  description = "Where the shop answers before DNS points at it."
  value       = aws_lb.shop.dns_name
}

output "db_address" {
  description = "The RDS writer endpoint."
  value       = aws_db_instance.shop.address
}

output "name_servers" {
  description = "Delegate the domain to these at the registrar."
  value       = aws_route53_zone.public.name_servers
}

output "dms_replication_config_arn" {
  description = "What the cutover runbook starts with StartReplication."
  value       = aws_dms_replication_config.shop.arn
}
