# The shop's public zone. At cutover the runbook (or this record) points shop.<domain> at the ALB;
# a 60 s TTL on the on-premises record beforehand keeps the switch short.

resource "aws_route53_zone" "public" {
  name    = var.domain
  comment = "Fast Engineering shop"
}

resource "aws_route53_record" "shop" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "shop.${var.domain}"
  type    = "A"

  alias {
    name                   = aws_lb.shop.dns_name
    zone_id                = aws_lb.shop.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "www.${var.domain}"
  type    = "CNAME"
  ttl     = 300
  records = ["shop.${var.domain}"]
}
