# One customer-managed KMS key for the platform (EKS secrets envelope encryption, EFS, Secrets
# Manager), and the APIs' database credentials in Secrets Manager.
resource "aws_kms_key" "platform" {
  description             = "${var.name} platform encryption"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_kms_alias" "platform" {
  name          = "alias/${var.name}-platform"
  target_key_id = aws_kms_key.platform.key_id
}

# In a real estate the values come from the pipeline's vault; the rehearsal uses placeholders.
resource "aws_secretsmanager_secret" "db" {
  for_each                = toset(var.api_services)
  name                    = "${var.name}/${each.value}/db"
  description             = "MySQL credentials of the ${each.value} API"
  kms_key_id              = aws_kms_key.platform.arn
  recovery_window_in_days = 0 # rehearsals are destroyed and re-applied: delete at once
}

resource "aws_secretsmanager_secret_version" "db" {
  for_each  = aws_secretsmanager_secret.db
  secret_id = each.value.id
  secret_string = jsonencode({
    username = "${each.key}_app"
    password = "rehearsal-only-${each.key}"
    host     = aws_db_instance.replica.address
  })
}
