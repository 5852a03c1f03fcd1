# The edge and the audit trail of the as-is estate:
# - the React frontend's static files in a private S3 bucket, served by CloudFront (origin access
#   control: only the distribution may read the bucket) behind a WAFv2 web ACL;
# - a CloudTrail trail recording every management API call into a bucket of its own.
# Self-contained: its names, data sources and variables carry an `edge` prefix, so it can also be
# copied beside the as-is configuration (examples/terraform/asis/) without clashing.

variable "edge_name" {
  description = "Prefix of the edge and audit resources."
  type        = string
  default     = "fast-edge"
}

variable "edge_rate_limit" {
  description = "Requests per 5 minutes one client IP may send before the web ACL blocks it."
  type        = number
  default     = 2000
}

data "aws_caller_identity" "edge" {}

# --- Static content ---------------------------------------------------------------------------

resource "aws_s3_bucket" "static" {
  bucket        = "${var.edge_name}-static-${data.aws_caller_identity.edge.account_id}"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "static" {
  bucket                  = aws_s3_bucket.static.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_cloudfront_origin_access_control" "static" {
  name                              = "${var.edge_name}-static"
  description                       = "CloudFront reads the static bucket with SigV4"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# Only this distribution may read the bucket.
resource "aws_s3_bucket_policy" "static" {
  bucket = aws_s3_bucket.static.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudFrontReadsStatic"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.static.arn}/*"
      Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.static.arn } }
    }]
  })
}

# --- WAF --------------------------------------------------------------------------------------

# CLOUDFRONT-scoped web ACLs live in us-east-1: AWS's common rule set, and a per-IP rate limit.
resource "aws_wafv2_web_acl" "edge" {
  name        = "${var.edge_name}-web-acl"
  description = "Shields the storefront: AWS common rules and a per-IP rate limit"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  rule {
    name     = "aws-common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate-limit"
    priority = 2
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.edge_rate_limit
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-limit"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.edge_name}-web-acl"
    sampled_requests_enabled   = true
  }
}

# --- CloudFront -------------------------------------------------------------------------------

resource "aws_cloudfront_distribution" "static" {
  comment             = "${var.edge_name} storefront static files"
  enabled             = true
  is_ipv6_enabled     = true
  default_root_object = "index.html"
  price_class         = "PriceClass_100"
  web_acl_id          = aws_wafv2_web_acl.edge.arn

  origin {
    origin_id                = "static-s3"
    domain_name              = aws_s3_bucket.static.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.static.id
  }

  default_cache_behavior {
    target_origin_id       = "static-s3"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD", "OPTIONS"]
    cached_methods         = ["GET", "HEAD"]
    compress               = true
    # AWS's managed "CachingOptimized" cache policy.
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

# --- CloudTrail -------------------------------------------------------------------------------

resource "aws_s3_bucket" "trail" {
  bucket        = "${var.edge_name}-trail-${data.aws_caller_identity.edge.account_id}"
  force_destroy = true
}

# The bucket policy CloudTrail requires before it accepts the bucket.
resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.trail.arn
      },
      {
        Sid       = "CloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.trail.arn}/AWSLogs/${data.aws_caller_identity.edge.account_id}/*"
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } }
      },
    ]
  })
}

resource "aws_cloudtrail" "audit" {
  name                          = "${var.edge_name}-audit"
  s3_bucket_name                = aws_s3_bucket.trail.id
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  depends_on                    = [aws_s3_bucket_policy.trail]
}

output "edge_distribution_domain" {
  description = "The storefront's CloudFront domain name."
  value       = aws_cloudfront_distribution.static.domain_name
}

output "edge_trail_arn" {
  value = aws_cloudtrail.audit.arn
}
