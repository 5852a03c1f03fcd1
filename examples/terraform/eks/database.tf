# The read replica the APIs' read paths use. It replicates the as-is MySQL primary
# (var.source_db_identifier); when none is given, a small primary is created here so the
# configuration applies on its own.
resource "aws_db_instance" "primary" {
  count                   = var.source_db_identifier == "" ? 1 : 0
  identifier              = "${var.name}-mysql"
  engine                  = "mysql"
  engine_version          = "8.0"
  instance_class          = "db.m6g.large"
  allocated_storage       = 100
  username                = "admin"
  password                = "rehearsal-only-password"
  backup_retention_period = 7 # read replicas need automated backups on the source
  skip_final_snapshot     = true
}

resource "aws_db_instance" "replica" {
  identifier          = "${var.name}-mysql-replica"
  replicate_source_db = var.source_db_identifier != "" ? var.source_db_identifier : aws_db_instance.primary[0].identifier
  instance_class      = "db.m6g.large"
  skip_final_snapshot = true
}
