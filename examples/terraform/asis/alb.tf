# The application load balancer replaces the on-premises Nginx: path rules send each API's requests
# to its own target group, everything else to the frontend.

locals {
  # The scenario services (scenarios/lift-and-shift-cutover.json) that run on instances, their ALB
  # path pattern (null = the listener's default action), rule priority and instance type.
  app_services = {
    frontend = { service = "frontend-app", path = null, priority = null, instance_type = "t3.small" }
    catalog  = { service = "api-catalog", path = "/api/catalog/*", priority = 10, instance_type = "c6i.large" }
    cart     = { service = "api-cart", path = "/api/cart/*", priority = 20, instance_type = "c6i.large" }
    orders   = { service = "api-orders", path = "/api/orders/*", priority = 30, instance_type = "c6i.large" }
  }
  api_services = { for k, v in local.app_services : k => v if v.path != null }
}

resource "aws_lb" "shop" {
  name               = "${var.environment}-shop"
  load_balancer_type = "application"
  internal           = false
  security_groups    = [aws_security_group.alb.id]
  subnets            = aws_subnet.public[*].id
  idle_timeout       = 60
  tags               = { Name = "${var.environment}-shop" }
}

resource "aws_lb_target_group" "app" {
  for_each             = local.app_services
  name                 = "${var.environment}-${each.key}"
  port                 = 8080
  protocol             = "HTTP"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 60

  health_check {
    path                = each.value.path == null ? "/health" : "/api/${each.key}/health"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 2
  }
  tags = { "migsim:service" = each.value.service }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app["frontend"].arn
  }
}

resource "aws_lb_listener_rule" "api" {
  for_each     = local.api_services
  listener_arn = aws_lb_listener.http.arn
  priority     = each.value.priority

  condition {
    path_pattern {
      values = [each.value.path]
    }
  }
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app[each.key].arn
  }
}
