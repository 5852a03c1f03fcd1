#!/usr/bin/env python3
"""EC2 networking and the tags and attributes the terraform AWS provider reads, driven by the AWS
CLI (`aws --endpoint-url ...`, unmodified), every operation once, values read with --query and
checked against what EC2, ELBv2, RDS, DMS, SNS, SSM, CloudWatch, Route 53 and Auto Scaling answer
(documented defaults and error codes).

Usage: python3 tests/e2e/test_serve_network_cli.py <path to migsim>   (from the repo root)

The server runs paused (--speed 0); the simulated clock moves through POST /_migsim/clock (a NAT
gateway is pending for 90 simulated seconds). Prints "N passed, M failed"; exits 1 on a failure.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_fixture import check, serve_checked, summary  # noqa: E402

SCENARIO = "scenarios/lift-and-shift-cutover.json"


def tags(*pairs):
    return "[" + ",".join(f"{{Key={k},Value={v}}}" for k, v in pairs) + "]"


def vpc_and_subnets(srv):
    vpc = srv.cli("ec2", "create-vpc", "--cidr-block", "10.30.0.0/16", "--tag-specifications",
                  "ResourceType=vpc,Tags=" + tags(("Name", "cli")), "--query", "Vpc.[VpcId, State, Tags[0].Value]")
    check("ec2 create-vpc: available, tagged", vpc[1:] == ["available", "cli"], vpc)
    vpc_id = vpc[0]
    check("ec2 create-vpc 10.30.0.0/33: InvalidParameterValue",
          srv.cli_error("ec2", "create-vpc", "--cidr-block", "10.30.0.0/33") == "InvalidParameterValue")
    check("ec2 create-vpc /8: InvalidVpc.Range", srv.cli_error("ec2", "create-vpc", "--cidr-block", "10.0.0.0/8") == "InvalidVpc.Range")
    got = srv.cli("ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=cl*", "--query", "Vpcs[].VpcId")
    check("ec2 describe-vpcs: by tag with a wildcard", got == [vpc_id], got)
    srv.cli("ec2", "modify-vpc-attribute", "--vpc-id", vpc_id, "--enable-dns-hostnames", "{\"Value\":true}")
    got = srv.cli("ec2", "describe-vpc-attribute", "--vpc-id", vpc_id, "--attribute", "enableDnsHostnames",
                  "--query", "EnableDnsHostnames.Value")
    check("ec2 modify/describe-vpc-attribute: DNS hostnames on", got is True, got)
    zones = srv.cli("ec2", "describe-availability-zones", "--query", "AvailabilityZones[].ZoneName")
    check("ec2 describe-availability-zones: a, b, c", zones == ["us-east-1a", "us-east-1b", "us-east-1c"], zones)
    got = srv.cli("ec2", "describe-account-attributes", "--attribute-names", "supported-platforms", "--query",
                  "AccountAttributes[0].AttributeValues[0].AttributeValue")
    check("ec2 describe-account-attributes: VPC only", got == "VPC", got)
    subnets = []
    for i, zone in enumerate(["us-east-1a", "us-east-1b"]):
        s = srv.cli("ec2", "create-subnet", "--vpc-id", vpc_id, "--cidr-block", f"10.30.{i}.0/24",
                    "--availability-zone", zone, "--query", "Subnet.[SubnetId, AvailableIpAddressCount]")
        check(f"ec2 create-subnet in {zone}: 251 free addresses (256 - 5 AWS keeps)", s[1] == 251, s)
        subnets.append(s[0])
    check("ec2 create-subnet overlapping: InvalidSubnet.Conflict",
          srv.cli_error("ec2", "create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.30.0.128/25") == "InvalidSubnet.Conflict")
    check("ec2 create-subnet outside the VPC: InvalidSubnet.Range",
          srv.cli_error("ec2", "create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.31.0.0/24") == "InvalidSubnet.Range")
    srv.cli("ec2", "modify-subnet-attribute", "--subnet-id", subnets[0], "--map-public-ip-on-launch")
    got = srv.cli("ec2", "describe-subnets", "--filters", f"Name=vpc-id,Values={vpc_id}", "--query",
                  "Subnets[?MapPublicIpOnLaunch].SubnetId")
    check("ec2 modify-subnet-attribute / describe-subnets: the public one maps public IPs", got == [subnets[0]], got)
    got = srv.cli("ec2", "describe-network-interfaces", "--filters", f"Name=subnet-id,Values={subnets[0]}",
                  "--query", "length(NetworkInterfaces)")
    check("ec2 describe-network-interfaces: none (no interfaces are modelled)", got == 0, got)
    return vpc_id, subnets


def gateways_and_routes(srv, vpc_id, subnets):
    igw = srv.cli("ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId")
    eip = srv.cli("ec2", "allocate-address", "--domain", "vpc", "--query", "AllocationId")
    check("ec2 create-nat-gateway before the internet gateway is attached: Gateway.NotAttached",
          srv.cli_error("ec2", "create-nat-gateway", "--subnet-id", subnets[0], "--allocation-id", eip) == "Gateway.NotAttached")
    srv.cli("ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc_id)
    got = srv.cli("ec2", "describe-internet-gateways", "--internet-gateway-ids", igw, "--query",
                  "InternetGateways[0].Attachments[0].[VpcId, State]")
    check("ec2 attach/describe-internet-gateways: attached", got == [vpc_id, "available"], got)
    nat = srv.cli("ec2", "create-nat-gateway", "--subnet-id", subnets[0], "--allocation-id", eip, "--query",
                  "NatGateway.[NatGatewayId, State]")
    check("ec2 create-nat-gateway: pending", nat[1] == "pending", nat)
    srv.advance(91)
    got = srv.cli("ec2", "describe-nat-gateways", "--nat-gateway-ids", nat[0], "--query", "NatGateways[0].State")
    check("ec2 describe-nat-gateways: available 90 simulated seconds later", got == "available", got)
    got = srv.cli("ec2", "describe-addresses", "--allocation-ids", eip, "--query", "Addresses[0].[PublicIp, NetworkInterfaceId != null]")
    check("ec2 describe-addresses: a TEST-NET-3 address, on the NAT gateway's interface",
          got[0].startswith("203.0.113.") and got[1] is True, got)
    got = srv.cli("ec2", "describe-addresses-attribute", "--allocation-ids", eip, "--attribute", "domain-name",
                  "--query", "Addresses[0].AllocationId")
    check("ec2 describe-addresses-attribute", got == eip, got)
    check("ec2 release-address in use: InvalidIPAddress.InUse",
          srv.cli_error("ec2", "release-address", "--allocation-id", eip) == "InvalidIPAddress.InUse")
    nat_assoc = srv.cli("ec2", "describe-addresses", "--allocation-ids", eip, "--query", "Addresses[0].AssociationId")
    check("ec2 disassociate-address of a live NAT gateway's address: InvalidIPAddress.InUse",
          srv.cli_error("ec2", "disassociate-address", "--association-id", nat_assoc) == "InvalidIPAddress.InUse")
    spare = srv.cli("ec2", "allocate-address", "--domain", "vpc", "--query", "AllocationId")
    assoc = srv.cli("ec2", "associate-address", "--allocation-id", spare, "--network-interface-id", "eni-0a1b2c3d4e5f60718",
                    "--query", "AssociationId")
    check("ec2 associate-address: an association id", str(assoc).startswith("eipassoc-"), assoc)
    srv.cli("ec2", "disassociate-address", "--association-id", assoc)
    got = srv.cli("ec2", "describe-addresses", "--allocation-ids", spare, "--query", "Addresses[0].AssociationId")
    check("ec2 disassociate-address: the address is free again", got is None, got)
    check("ec2 disassociate-address of an unknown association: InvalidAssociationID.NotFound",
          srv.cli_error("ec2", "disassociate-address", "--association-id", assoc) == "InvalidAssociationID.NotFound")
    srv.cli("ec2", "release-address", "--allocation-id", spare)
    rt = srv.cli("ec2", "create-route-table", "--vpc-id", vpc_id, "--query", "RouteTable.RouteTableId")
    srv.cli("ec2", "create-route", "--route-table-id", rt, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw)
    check("ec2 create-route twice: RouteAlreadyExists",
          srv.cli_error("ec2", "create-route", "--route-table-id", rt, "--destination-cidr-block", "0.0.0.0/0",
                        "--gateway-id", igw) == "RouteAlreadyExists")
    srv.cli("ec2", "replace-route", "--route-table-id", rt, "--destination-cidr-block", "0.0.0.0/0", "--nat-gateway-id", nat[0])
    assoc = srv.cli("ec2", "associate-route-table", "--route-table-id", rt, "--subnet-id", subnets[1], "--query", "AssociationId")
    got = srv.cli("ec2", "describe-route-tables", "--filters", f"Name=association.subnet-id,Values={subnets[1]}",
                  "--query", "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].NatGatewayId")
    check("ec2 replace-route / associate-route-table / describe-route-tables: the subnet routes to the NAT gateway",
          got == [nat[0]], got)
    check("ec2 delete-route-table while associated: DependencyViolation",
          srv.cli_error("ec2", "delete-route-table", "--route-table-id", rt) == "DependencyViolation")
    main_rt = srv.cli("ec2", "describe-route-tables", "--filters", f"Name=vpc-id,Values={vpc_id}",
                      "Name=association.main,Values=true", "--query", "RouteTables[0].RouteTableId")
    new_assoc = srv.cli("ec2", "replace-route-table-association", "--association-id", assoc, "--route-table-id", main_rt,
                        "--query", "NewAssociationId")
    srv.cli("ec2", "disassociate-route-table", "--association-id", new_assoc)
    endpoint = srv.cli("ec2", "create-vpc-endpoint", "--vpc-id", vpc_id, "--service-name", "com.amazonaws.us-east-1.s3",
                       "--route-table-ids", rt, "--query", "VpcEndpoint.[VpcEndpointId, State]")
    check("ec2 create-vpc-endpoint (S3 gateway): available", endpoint[1] == "available", endpoint)
    got = srv.cli("ec2", "describe-prefix-lists", "--filters", "Name=prefix-list-name,Values=com.amazonaws.us-east-1.s3",
                  "--query", "PrefixLists[0].PrefixListId")
    routes = srv.cli("ec2", "describe-route-tables", "--route-table-ids", rt, "--query",
                     "RouteTables[0].Routes[?DestinationPrefixListId].GatewayId")
    check("ec2 describe-prefix-lists: the S3 gateway endpoint routes to its prefix list", routes == [endpoint[0]] and got, [got, routes])
    srv.cli("ec2", "modify-vpc-endpoint", "--vpc-endpoint-id", endpoint[0], "--remove-route-table-ids", rt)
    got = srv.cli("ec2", "describe-vpc-endpoints", "--vpc-endpoint-ids", endpoint[0], "--query", "VpcEndpoints[0].RouteTableIds")
    check("ec2 modify-vpc-endpoint / describe-vpc-endpoints: route table removed", got == [], got)
    got = srv.cli("ec2", "delete-vpc-endpoints", "--vpc-endpoint-ids", endpoint[0], "--query", "length(Unsuccessful)")
    check("ec2 delete-vpc-endpoints", got == 0, got)
    srv.cli("ec2", "delete-route", "--route-table-id", rt, "--destination-cidr-block", "0.0.0.0/0")
    srv.cli("ec2", "delete-route-table", "--route-table-id", rt)
    srv.cli("ec2", "delete-nat-gateway", "--nat-gateway-id", nat[0])
    srv.advance(31)
    got = srv.cli("ec2", "describe-nat-gateways", "--nat-gateway-ids", nat[0], "--query", "NatGateways[0].State")
    check("ec2 delete-nat-gateway: deleted 30 simulated seconds later, still listed", got == "deleted", got)
    srv.cli("ec2", "release-address", "--allocation-id", eip)
    eip2 = srv.cli("ec2", "allocate-address", "--domain", "vpc", "--query", "AllocationId")
    assoc = srv.cli("ec2", "associate-address", "--allocation-id", eip2, "--instance-id", "i-0123456789abcdef0",
                    "--query", "AssociationId")
    got = srv.cli("ec2", "describe-addresses", "--allocation-ids", eip2, "--query", "Addresses[0].[AssociationId, InstanceId]")
    check("ec2 associate-address: the address shows the association and the instance",
          isinstance(assoc, str) and assoc.startswith("eipassoc-") and got == [assoc, "i-0123456789abcdef0"], (assoc, got))
    check("ec2 associate-address again without --allow-reassociation: Resource.AlreadyAssociated",
          srv.cli_error("ec2", "associate-address", "--allocation-id", eip2, "--instance-id", "i-0fedcba9876543210")
          == "Resource.AlreadyAssociated")
    srv.cli("ec2", "disassociate-address", "--association-id", assoc)
    got = srv.cli("ec2", "describe-addresses", "--allocation-ids", eip2, "--query", "Addresses[0].AssociationId")
    check("ec2 disassociate-address: no association left", got is None, got)
    srv.cli("ec2", "release-address", "--allocation-id", eip2)
    srv.cli("ec2", "detach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc_id)
    srv.cli("ec2", "delete-internet-gateway", "--internet-gateway-id", igw)
    check("ec2 delete-internet-gateway: gone",
          srv.cli_error("ec2", "describe-internet-gateways", "--internet-gateway-ids", igw) == "InvalidInternetGatewayID.NotFound")


def groups_and_acls(srv, vpc_id, subnets):
    web = srv.cli("ec2", "create-security-group", "--group-name", "web", "--description", "web", "--vpc-id", vpc_id,
                  "--query", "GroupId")
    db = srv.cli("ec2", "create-security-group", "--group-name", "db", "--description", "db", "--vpc-id", vpc_id,
                 "--query", "GroupId")
    check("ec2 create-security-group with a 256-character name: InvalidParameterValue",
          srv.cli_error("ec2", "create-security-group", "--group-name", "n" * 256, "--description", "x", "--vpc-id",
                        vpc_id) == "InvalidParameterValue")
    check("ec2 create-security-group twice: InvalidGroup.Duplicate",
          srv.cli_error("ec2", "create-security-group", "--group-name", "web", "--description", "web", "--vpc-id",
                        vpc_id) == "InvalidGroup.Duplicate")
    srv.cli("ec2", "authorize-security-group-ingress", "--group-id", db, "--ip-permissions",
            json.dumps([{"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": web}]}]))
    check("ec2 authorize-security-group-ingress from a missing group: InvalidGroup.NotFound",
          srv.cli_error("ec2", "authorize-security-group-ingress", "--group-id", db, "--ip-permissions",
                        json.dumps([{"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2,
                                     "UserIdGroupPairs": [{"GroupId": "sg-0123456789abcdef0"}]}])) == "InvalidGroup.NotFound")
    srv.cli("ec2", "authorize-security-group-egress", "--group-id", web, "--ip-permissions",
            json.dumps([{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]))
    srv.cli("ec2", "revoke-security-group-egress", "--group-id", web, "--ip-permissions",
            json.dumps([{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]))
    got = srv.cli("ec2", "describe-security-groups", "--group-ids", web, db, "--query",
                  "SecurityGroups[].[GroupName, IpPermissions[0].UserIdGroupPairs[0].GroupId, IpPermissionsEgress[0].FromPort]")
    check("ec2 describe-security-groups: db admits web on 3306; web's egress is 443 only",
          sorted(got) == sorted([["web", None, 443], ["db", web, None]]), got)
    check("ec2 delete-security-group still referenced: DependencyViolation",
          srv.cli_error("ec2", "delete-security-group", "--group-id", web) == "DependencyViolation")
    srv.cli("ec2", "revoke-security-group-ingress", "--group-id", db, "--ip-permissions",
            json.dumps([{"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "UserIdGroupPairs": [{"GroupId": web}]}]))
    acl = srv.cli("ec2", "create-network-acl", "--vpc-id", vpc_id, "--query", "NetworkAcl.NetworkAclId")
    srv.cli("ec2", "create-network-acl-entry", "--network-acl-id", acl, "--rule-number", "100", "--protocol", "6",
            "--rule-action", "allow", "--ingress", "--cidr-block", "10.30.0.0/16", "--port-range", "From=443,To=443")
    check("ec2 create-network-acl-entry twice: NetworkAclEntryAlreadyExists",
          srv.cli_error("ec2", "create-network-acl-entry", "--network-acl-id", acl, "--rule-number", "100", "--protocol",
                        "6", "--rule-action", "deny", "--ingress", "--cidr-block", "0.0.0.0/0") == "NetworkAclEntryAlreadyExists")
    srv.cli("ec2", "replace-network-acl-entry", "--network-acl-id", acl, "--rule-number", "100", "--protocol", "-1",
            "--rule-action", "deny", "--ingress", "--cidr-block", "0.0.0.0/0")
    current = srv.cli("ec2", "describe-network-acls", "--filters", f"Name=association.subnet-id,Values={subnets[0]}",
                      "--query", "NetworkAcls[0].[IsDefault, Associations[?SubnetId=='%s'].NetworkAclAssociationId | [0]]" % subnets[0])
    check("ec2 describe-network-acls: a new subnet is in the default ACL", current[0] is True, current)
    new_assoc = srv.cli("ec2", "replace-network-acl-association", "--association-id", current[1], "--network-acl-id", acl,
                        "--query", "NewAssociationId")
    check("ec2 delete-network-acl while associated: DependencyViolation",
          srv.cli_error("ec2", "delete-network-acl", "--network-acl-id", acl) == "DependencyViolation")
    default_acl = srv.cli("ec2", "describe-network-acls", "--filters", f"Name=vpc-id,Values={vpc_id}", "Name=default,Values=true",
                          "--query", "NetworkAcls[0].NetworkAclId")
    srv.cli("ec2", "replace-network-acl-association", "--association-id", new_assoc, "--network-acl-id", default_acl)
    srv.cli("ec2", "delete-network-acl-entry", "--network-acl-id", acl, "--rule-number", "100", "--ingress")
    srv.cli("ec2", "delete-network-acl", "--network-acl-id", acl)
    srv.cli("ec2", "create-tags", "--resources", web, "--tags", "Key=tier,Value=web")
    got = srv.cli("ec2", "describe-tags", "--filters", f"Name=resource-id,Values={web}", "--query", "Tags[].[Key, Value]")
    check("ec2 create-tags / describe-tags", got == [["tier", "web"]], got)
    srv.cli("ec2", "delete-tags", "--resources", web, "--tags", "Key=tier")
    got = srv.cli("ec2", "describe-tags", "--filters", f"Name=resource-id,Values={web}", "--query", "length(Tags)")
    check("ec2 delete-tags", got == 0, got)
    return web, db


def elbv2(srv, vpc_id, subnets, web):
    lb = srv.cli("elbv2", "create-load-balancer", "--name", "cli-alb", "--subnets", *subnets, "--security-groups", web,
                 "--tags", "Key=team,Value=platform", "--query", "LoadBalancers[0].[LoadBalancerArn, VpcId]")
    check("elbv2 create-load-balancer in the API-created VPC", lb[1] == vpc_id, lb)
    got = srv.cli("elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", lb[0], "--query",
                  "Attributes[?Key=='idle_timeout.timeout_seconds'].Value | [0]")
    check("elbv2 describe-load-balancer-attributes: idle timeout 60 s (AWS's default)", got == "60", got)
    srv.cli("elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", lb[0], "--attributes",
            "Key=idle_timeout.timeout_seconds,Value=120")
    check("elbv2 modify-load-balancer-attributes with an unknown key: ValidationError",
          srv.cli_error("elbv2", "modify-load-balancer-attributes", "--load-balancer-arn", lb[0], "--attributes",
                        "Key=nope,Value=1") == "ValidationError")
    got = srv.cli("elbv2", "describe-capacity-reservation", "--load-balancer-arn", lb[0], "--query", "length(CapacityReservationState)")
    check("elbv2 describe-capacity-reservation: none", got == 0, got)
    tg = srv.cli("elbv2", "create-target-group", "--name", "cli-tg", "--protocol", "HTTP", "--port", "8080", "--vpc-id", vpc_id,
                 "--query", "TargetGroups[0].TargetGroupArn")
    srv.cli("elbv2", "modify-target-group-attributes", "--target-group-arn", tg, "--attributes",
            "Key=deregistration_delay.timeout_seconds,Value=60")
    got = srv.cli("elbv2", "describe-target-group-attributes", "--target-group-arn", tg, "--query",
                  "Attributes[?Key=='deregistration_delay.timeout_seconds'].Value | [0]")
    check("elbv2 modify/describe-target-group-attributes: deregistration delay 60 s", got == "60", got)
    listener = srv.cli("elbv2", "create-listener", "--load-balancer-arn", lb[0], "--protocol", "HTTP", "--port", "80",
                       "--default-actions", f"Type=forward,TargetGroupArn={tg}", "--query", "Listeners[0].ListenerArn")
    srv.cli("elbv2", "modify-listener-attributes", "--listener-arn", listener, "--attributes",
            "Key=routing.http.response.server.enabled,Value=false")
    got = srv.cli("elbv2", "describe-listener-attributes", "--listener-arn", listener, "--query", "Attributes[0].Value")
    check("elbv2 modify/describe-listener-attributes", got == "false", got)
    srv.cli("elbv2", "add-tags", "--resource-arns", tg, "--tags", "Key=migsim:service,Value=api-cart")
    srv.cli("elbv2", "remove-tags", "--resource-arns", lb[0], "--tag-keys", "team")
    got = srv.cli("elbv2", "describe-tags", "--resource-arns", lb[0], tg, "--query", "TagDescriptions[].length(Tags)")
    check("elbv2 add-tags / remove-tags / describe-tags", got == [0, 1], got)
    srv.cli("elbv2", "delete-listener", "--listener-arn", listener)
    srv.cli("elbv2", "delete-target-group", "--target-group-arn", tg)
    srv.cli("elbv2", "delete-load-balancer", "--load-balancer-arn", lb[0])


def rds_and_dms(srv, subnets, db):
    got = srv.cli("rds", "create-db-subnet-group", "--db-subnet-group-name", "cli-db", "--db-subnet-group-description", "x",
                  "--subnet-ids", *subnets, "--query", "DBSubnetGroup.[SubnetGroupStatus, length(Subnets)]")
    check("rds create-db-subnet-group: Complete, two subnets", got == ["Complete", 2], got)
    check("rds create-db-subnet-group over one zone: DBSubnetGroupDoesNotCoverEnoughAZs",
          srv.cli_error("rds", "create-db-subnet-group", "--db-subnet-group-name", "one", "--db-subnet-group-description",
                        "x", "--subnet-ids", subnets[0]) == "DBSubnetGroupDoesNotCoverEnoughAZs")
    srv.cli("rds", "modify-db-subnet-group", "--db-subnet-group-name", "cli-db", "--subnet-ids", *subnets,
            "--db-subnet-group-description", "y")
    got = srv.cli("rds", "describe-db-subnet-groups", "--db-subnet-group-name", "cli-db", "--query",
                  "DBSubnetGroups[0].DBSubnetGroupDescription")
    check("rds modify/describe-db-subnet-groups", got == "y", got)
    inst = srv.cli("rds", "create-db-instance", "--db-instance-identifier", "cli-db", "--engine", "mysql", "--engine-version",
                   "8.0", "--db-instance-class", "db.m6g.large", "--allocated-storage", "100", "--master-username", "admin",
                   "--master-user-password", "rehearsal-1", "--db-subnet-group-name", "cli-db", "--vpc-security-group-ids", db,
                   "--tags", "Key=migsim:service,Value=mysql", "--query",
                   "DBInstance.[EngineVersion, DBSubnetGroup.DBSubnetGroupName, VpcSecurityGroups[0].VpcSecurityGroupId, DBInstanceArn]")
    check("rds create-db-instance 8.0 on db.m6g.large: the default 8.0 minor, in the subnet group",
          inst[:3] == ["8.0.41", "cli-db", db], inst)
    check("rds create-db-instance on a class not offered: InvalidParameterCombination",
          srv.cli_error("rds", "create-db-instance", "--db-instance-identifier", "x", "--engine", "mysql",
                        "--db-instance-class", "db.x9.huge", "--allocated-storage", "20", "--master-username", "admin",
                        "--master-user-password", "rehearsal-1") == "InvalidParameterCombination")
    srv.cli("rds", "add-tags-to-resource", "--resource-name", inst[3], "--tags", "Key=tier,Value=db")
    srv.cli("rds", "remove-tags-from-resource", "--resource-name", inst[3], "--tag-keys", "tier")
    got = srv.cli("rds", "list-tags-for-resource", "--resource-name", inst[3], "--query", "TagList[].Key")
    check("rds add/remove/list-tags-for-resource", got == ["migsim:service"], got)
    check("rds delete-db-subnet-group in use: InvalidDBSubnetGroupStateFault",
          srv.cli_error("rds", "delete-db-subnet-group", "--db-subnet-group-name", "cli-db") == "InvalidDBSubnetGroupStateFault")
    got = srv.cli("dms", "create-replication-subnet-group", "--replication-subnet-group-identifier", "cli-dms",
                  "--replication-subnet-group-description", "x", "--subnet-ids", *subnets, "--query",
                  "ReplicationSubnetGroup.SubnetGroupStatus")
    check("dms create-replication-subnet-group: Complete", got == "Complete", got)
    srv.cli("dms", "modify-replication-subnet-group", "--replication-subnet-group-identifier", "cli-dms", "--subnet-ids",
            *subnets, "--replication-subnet-group-description", "y")
    got = srv.cli("dms", "describe-replication-subnet-groups", "--filters",
                  "Name=replication-subnet-group-id,Values=cli-dms", "--query",
                  "ReplicationSubnetGroups[0].ReplicationSubnetGroupDescription")
    check("dms modify/describe-replication-subnet-groups", got == "y", got)
    ep = srv.cli("dms", "create-endpoint", "--endpoint-identifier", "cli-src", "--endpoint-type", "source", "--engine-name",
                 "mysql", "--server-name", "192.168.10.20", "--port", "3306", "--username", "u", "--password", "p",
                 "--tags", "Key=side,Value=onprem", "--query", "Endpoint.EndpointArn")
    srv.cli("dms", "add-tags-to-resource", "--resource-arn", ep, "--tags", "Key=x,Value=y")
    srv.cli("dms", "remove-tags-from-resource", "--resource-arn", ep, "--tag-keys", "x")
    got = srv.cli("dms", "list-tags-for-resource", "--resource-arn", ep, "--query", "TagList[].Key")
    check("dms add/remove/list-tags-for-resource", got == ["side"], got)
    srv.cli("dms", "delete-endpoint", "--endpoint-arn", ep)
    srv.cli("dms", "delete-replication-subnet-group", "--replication-subnet-group-identifier", "cli-dms")


def other_services(srv):
    topic = srv.cli("sns", "create-topic", "--name", "cli-oncall", "--tags", "Key=team,Value=ops", "--query", "TopicArn")
    srv.cli("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name", "DisplayName", "--attribute-value", "On call")
    got = srv.cli("sns", "get-topic-attributes", "--topic-arn", topic, "--query", "Attributes.DisplayName")
    check("sns set-topic-attributes: DisplayName", got == "On call", got)
    srv.cli("sns", "tag-resource", "--resource-arn", topic, "--tags", "Key=env,Value=asis")
    srv.cli("sns", "untag-resource", "--resource-arn", topic, "--tag-keys", "team")
    got = srv.cli("sns", "list-tags-for-resource", "--resource-arn", topic, "--query", "Tags[].Key")
    check("sns tag/untag/list-tags-for-resource", got == ["env"], got)
    sub = srv.cli("sns", "subscribe", "--topic-arn", topic, "--protocol", "email", "--notification-endpoint",
                  "oncall@example.com", "--return-subscription-arn", "--query", "SubscriptionArn")
    got = srv.cli("sns", "get-subscription-attributes", "--subscription-arn", sub, "--query", "Attributes.Protocol")
    check("sns get-subscription-attributes", got == "email", got)
    srv.cli("sns", "unsubscribe", "--subscription-arn", sub)
    check("sns unsubscribe: gone", srv.cli_error("sns", "get-subscription-attributes", "--subscription-arn", sub) == "NotFound")
    srv.cli("ssm", "put-parameter", "--name", "/cli/a", "--value", "1", "--type", "String", "--tags", "Key=t,Value=1")
    srv.cli("ssm", "add-tags-to-resource", "--resource-type", "Parameter", "--resource-id", "/cli/a", "--tags", "Key=u,Value=2")
    srv.cli("ssm", "remove-tags-from-resource", "--resource-type", "Parameter", "--resource-id", "/cli/a", "--tag-keys", "t")
    got = srv.cli("ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/cli/a", "--query", "TagList[].Key")
    check("ssm add/remove/list-tags-for-resource", got == ["u"], got)
    got = srv.cli("ssm", "describe-parameters", "--parameter-filters", "Key=Name,Option=BeginsWith,Values=/cli/",
                  "--query", "Parameters[].[Name, Version]")
    check("ssm describe-parameters", got == [["/cli/a", 1]], got)
    got = srv.cli("ssm", "get-parameters", "--names", "/cli/a", "/cli/none", "--query", "[Parameters[0].Value, InvalidParameters]")
    check("ssm get-parameters: one found, one invalid", got == ["1", ["/cli/none"]], got)
    srv.cli("ssm", "delete-parameter", "--name", "/cli/a")
    check("ssm delete-parameter: gone", srv.cli_error("ssm", "get-parameter", "--name", "/cli/a") == "ParameterNotFound")
    srv.cli("cloudwatch", "put-metric-alarm", "--alarm-name", "cli-alarm", "--namespace", "AWS/RDS", "--metric-name",
            "CPUUtilization", "--statistic", "Average", "--period", "60", "--evaluation-periods", "1", "--threshold", "80",
            "--comparison-operator", "GreaterThanThreshold", "--tags", "Key=a,Value=1")
    arn = srv.cli("cloudwatch", "describe-alarms", "--alarm-names", "cli-alarm", "--query", "MetricAlarms[0].AlarmArn")
    srv.cli("cloudwatch", "tag-resource", "--resource-arn", arn, "--tags", "Key=b,Value=2")
    srv.cli("cloudwatch", "untag-resource", "--resource-arn", arn, "--tag-keys", "a")
    got = srv.cli("cloudwatch", "list-tags-for-resource", "--resource-arn", arn, "--query", "Tags[].Key")
    check("cloudwatch tag/untag/list-tags-for-resource", got == ["b"], got)
    zone = srv.cli("route53", "create-hosted-zone", "--name", "cli.example", "--caller-reference", "cli-1", "--query",
                   "HostedZone.Id").split("/")[-1]
    srv.cli("route53", "change-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", zone, "--add-tags",
            "Key=env,Value=asis")
    got = srv.cli("route53", "list-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", zone, "--query",
                  "ResourceTagSet.Tags[].Value")
    check("route53 change/list-tags-for-resource", got == ["asis"], got)


def autoscaling(srv, subnets):
    lt = srv.cli("ec2", "create-launch-template", "--launch-template-name", "cli-lt", "--launch-template-data",
                 '{"ImageId":"ami-0abcdef1234567890","InstanceType":"t3.small"}', "--query", "LaunchTemplate.LaunchTemplateId")
    srv.cli("autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "cli-asg", "--launch-template",
            f"LaunchTemplateId={lt}", "--min-size", "1", "--max-size", "2", "--vpc-zone-identifier", ",".join(subnets),
            "--tags", "Key=migsim:service,Value=api-cart,PropagateAtLaunch=true")
    srv.cli("autoscaling", "create-or-update-tags", "--tags",
            "ResourceId=cli-asg,ResourceType=auto-scaling-group,Key=team,Value=ops,PropagateAtLaunch=false")
    srv.cli("autoscaling", "delete-tags", "--tags", "ResourceId=cli-asg,ResourceType=auto-scaling-group,Key=team")
    got = srv.cli("autoscaling", "describe-tags", "--filters", "Name=auto-scaling-group,Values=cli-asg", "--query", "Tags[].[Key, Value]")
    check("autoscaling create-or-update-tags / delete-tags / describe-tags", got == [["migsim:service", "api-cart"]], got)
    got = srv.cli("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-asg", "--query",
                  "AutoScalingGroups[0].Tags[0].PropagateAtLaunch")
    check("autoscaling describe-auto-scaling-groups shows the tags", got is True, got)
    got = [srv.cli("autoscaling", "describe-load-balancers", "--auto-scaling-group-name", "cli-asg", "--query",
                   "length(LoadBalancers)"),
           srv.cli("autoscaling", "describe-lifecycle-hooks", "--auto-scaling-group-name", "cli-asg", "--query",
                   "length(LifecycleHooks)"),
           srv.cli("autoscaling", "describe-warm-pool", "--auto-scaling-group-name", "cli-asg", "--query",
                   "WarmPoolConfiguration"),
           srv.cli("autoscaling", "describe-traffic-sources", "--auto-scaling-group-name", "cli-asg", "--query",
                   "length(TrafficSources)")]
    check("autoscaling describe-load-balancers / -lifecycle-hooks / -warm-pool / -traffic-sources: none attached",
          got == [0, 0, None, 0], got)
    check("autoscaling describe-lifecycle-hooks of a missing group: ValidationError",
          srv.cli_error("autoscaling", "describe-lifecycle-hooks", "--auto-scaling-group-name", "nope") == "ValidationError")
    srv.cli("autoscaling", "put-scaling-policy", "--auto-scaling-group-name", "cli-asg", "--policy-name", "cpu50",
            "--policy-type", "TargetTrackingScaling", "--target-tracking-configuration",
            '{"PredefinedMetricSpecification":{"PredefinedMetricType":"ASGAverageCPUUtilization"},"TargetValue":50}')
    srv.cli("autoscaling", "delete-policy", "--auto-scaling-group-name", "cli-asg", "--policy-name", "cpu50")
    got = srv.cli("autoscaling", "describe-policies", "--auto-scaling-group-name", "cli-asg", "--query", "length(ScalingPolicies)")
    check("autoscaling delete-policy", got == 0, got)


def body(srv):
    vpc_id, subnets = vpc_and_subnets(srv)
    gateways_and_routes(srv, vpc_id, subnets)
    web, db = groups_and_acls(srv, vpc_id, subnets)
    elbv2(srv, vpc_id, subnets, web)
    rds_and_dms(srv, subnets, db)
    other_services(srv)
    autoscaling(srv, subnets)
    check("ec2 delete-vpc with subnets: DependencyViolation",
          srv.cli_error("ec2", "delete-vpc", "--vpc-id", vpc_id) == "DependencyViolation")
    extra = srv.cli("ec2", "create-vpc", "--cidr-block", "10.40.0.0/16", "--query", "Vpc.VpcId")
    s = srv.cli("ec2", "create-subnet", "--vpc-id", extra, "--cidr-block", "10.40.0.0/24", "--query", "Subnet.SubnetId")
    g = srv.cli("ec2", "create-security-group", "--group-name", "x", "--description", "x", "--vpc-id", extra, "--query", "GroupId")
    srv.cli("ec2", "delete-security-group", "--group-id", g)
    srv.cli("ec2", "delete-subnet", "--subnet-id", s)
    srv.cli("ec2", "delete-vpc", "--vpc-id", extra)
    check("ec2 delete-subnet / delete-security-group / delete-vpc: gone",
          srv.cli_error("ec2", "describe-vpcs", "--vpc-ids", extra) == "InvalidVpcID.NotFound")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: test_serve_network_cli.py MIGSIM")
    started = time.time()
    serve_checked(sys.argv[1], SCENARIO, body)
    sys.exit(summary(started))
