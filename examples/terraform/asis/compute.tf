# Instances: one launch template and Auto Scaling group per service, spread over the private subnets,
# registered in the service's target group, scaled by target tracking on average CPU.
# `migsim:service` binds a group to the scenario service its instances run (docs/terraform.md).

variable "ami_id" {
  description = "The AMI the instances boot (the image MGN's cutover produced, or a golden image)."
  type        = string
  default     = "ami-0abcdef1234567890"
}

resource "aws_launch_template" "app" {
  for_each               = local.app_services
  name                   = "${var.environment}-${each.key}"
  image_id               = var.ami_id
  instance_type          = each.value.instance_type
  vpc_security_group_ids = [aws_security_group.app.id]

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${var.environment}-${each.key}", "migsim:service" = each.value.service }
  }
}

resource "aws_autoscaling_group" "app" {
  for_each                  = local.app_services
  name                      = "${var.environment}-${each.key}"
  min_size                  = 2
  max_size                  = 8
  desired_capacity          = 2
  vpc_zone_identifier       = aws_subnet.private[*].id
  target_group_arns         = [aws_lb_target_group.app[each.key].arn]
  health_check_type         = "ELB"
  health_check_grace_period = 300

  launch_template {
    id      = aws_launch_template.app[each.key].id
    version = "$Latest"
  }

  tag {
    key                 = "migsim:service"
    value               = each.value.service
    propagate_at_launch = true
  }
  tag {
    key                 = "Name"
    value               = "${var.environment}-${each.key}"
    propagate_at_launch = true
  }
}

# Keep average CPU near 50 %: scale out fast, in slowly (AWS's target tracking).
resource "aws_autoscaling_policy" "cpu" {
  for_each               = local.app_services
  name                   = "${var.environment}-${each.key}-cpu50"
  autoscaling_group_name = aws_autoscaling_group.app[each.key].name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 50
  }
}
