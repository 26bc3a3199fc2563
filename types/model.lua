---@meta _
-- Types of what a policy sees and returns, for LuaLS (lua-language-server):
-- the declaration, the context, the caches view, results, findings, plans
-- and the raw AWS records.  Declarations only: the engine never loads this
-- file, and `---@meta _` keeps `require` from resolving to it.  The
-- contracts are docs/policy-api.md, docs/inventory-model.md and
-- docs/remediation.md; tests/lint/check-types.py keeps the caches view here
-- in step with inventory-model.md.
--
-- A field that holds a missing marker (its data was not collected) aborts
-- the check as `unknown` when it is read, so its type is the type it has
-- when it can be read; `ctx.available(t, field)` tells first.

---------------------------------------------------------------------------
-- The declaration (docs/policy-api.md, "The declaration")

---@alias ecpolicy.Severity "info"|"low"|"medium"|"high"|"critical"
---@alias ecpolicy.Status "pass"|"fail"|"not_applicable"|"unknown"

---@alias ecpolicy.Collection
---| "cache_clusters"
---| "replication_groups"
---| "serverless_caches"
---| "cache_subnet_groups"
---| "users"
---| "user_groups"
---| "snapshots"
---| "security_groups"
---| "vpcs"
---| "subnets"
---| "route_tables"
---| "network_acls"
---| "managed_prefix_lists"
---| "prefix_list_entries"
---| "tags"

--- What `check` gets: the cache view when `resource = "cache"`, else one raw
--- record of the collection named (annotate the parameter with its class,
--- such as ecpolicy.aws.SecurityGroup, for completion).
---@alias ecpolicy.Resource ecpolicy.Cache|table

--- What `check` returns: a result table, or a status with an optional
--- reason and evidence (`return "fail", "TLS is off", { ... }`).
---@alias ecpolicy.CheckFunction fun(resource: ecpolicy.Resource, ctx: ecpolicy.Context): (ecpolicy.Result|ecpolicy.Status), string?, table?

--- Called for a `fail` only; nil (best with the reason) when there is no plan.
---@alias ecpolicy.RemediateFunction fun(resource: ecpolicy.Resource, finding: ecpolicy.Finding, ctx: ecpolicy.Context): ecpolicy.Plan?, string?

--- The table a policy file returns.  Any other field is an error.
---@class ecpolicy.Declaration
---@field id string unique control id: letters, digits, `.`, `_`, `-`
---@field title string one line: what passing means
---@field severity ecpolicy.Severity
---@field resource "cache"|ecpolicy.Collection what `check` is called once for
---@field check ecpolicy.CheckFunction
---@field params? table<string, any> parameter names and defaults; a default's type is the parameter's type
---@field refs? table<string, string|string[]> references, such as `{ cis_db = "5.1", docs = { "https://..." } }`
---@field rationale? string why the control matters
---@field remediation? string how to fix a failure: what changes in place, what needs a migration
---@field needs? ecpolicy.Collection[] the collections the check reads
---@field remediate? ecpolicy.RemediateFunction the plan for a failure (docs/remediation.md)

---------------------------------------------------------------------------
-- Results and findings

--- What the `result` builders return; `check` may return a table of this
--- shape itself.
---@class ecpolicy.Result
---@field status ecpolicy.Status
---@field reason? string required for every status but pass
---@field evidence? table strings, finite numbers, booleans and tables of those, without cycles

--- What `remediate` gets: the failing result.
---@class ecpolicy.Finding
---@field status "fail"
---@field reason string
---@field evidence? table

---------------------------------------------------------------------------
-- The context (docs/policy-api.md, "The context")

---@class ecpolicy.Control
---@field id string
---@field title string
---@field severity ecpolicy.Severity after overrides

---@class ecpolicy.Context
---@field params table<string, any> this control's parameters: the defaults, overridden by --config and --param
---@field control ecpolicy.Control
---@field region string the region of the resource being checked
---@field account string? the AWS account id; nil when the input did not say
---@field now number the time of the run, seconds since the epoch (--now sets it)
local Context = {}

--- The raw record with that id in ctx.region; nil if the collection is
--- complete and has no such record.  Aborts as unknown when the collection
--- is incomplete, and raises for a name that is not a collection.
---@overload fun(collection: "cache_clusters", id: string): ecpolicy.aws.CacheCluster?
---@overload fun(collection: "replication_groups", id: string): ecpolicy.aws.ReplicationGroup?
---@overload fun(collection: "serverless_caches", id: string): ecpolicy.aws.ServerlessCache?
---@overload fun(collection: "cache_subnet_groups", id: string): ecpolicy.aws.CacheSubnetGroup?
---@overload fun(collection: "users", id: string): ecpolicy.aws.User?
---@overload fun(collection: "user_groups", id: string): ecpolicy.aws.UserGroup?
---@overload fun(collection: "snapshots", id: string): ecpolicy.aws.Snapshot?
---@overload fun(collection: "security_groups", id: string): ecpolicy.aws.SecurityGroup?
---@overload fun(collection: "vpcs", id: string): ecpolicy.aws.Vpc?
---@overload fun(collection: "subnets", id: string): ecpolicy.aws.Subnet?
---@overload fun(collection: "route_tables", id: string): ecpolicy.aws.RouteTable?
---@overload fun(collection: "network_acls", id: string): ecpolicy.aws.NetworkAcl?
---@overload fun(collection: "managed_prefix_lists", id: string): ecpolicy.aws.ManagedPrefixList?
---@overload fun(collection: "prefix_list_entries", id: string): ecpolicy.aws.PrefixListEntries?
---@overload fun(collection: "tags", id: string): ecpolicy.aws.ResourceTagMapping?
---@param collection ecpolicy.Collection
---@param id string the record's id member (inventory-model.md, "Collections")
---@return table? record
function Context.get(collection, id) end

--- Every raw record of the collection in ctx.region; aborts as unknown when
--- it is incomplete.
---@overload fun(collection: "cache_clusters"): ecpolicy.aws.CacheCluster[]
---@overload fun(collection: "replication_groups"): ecpolicy.aws.ReplicationGroup[]
---@overload fun(collection: "serverless_caches"): ecpolicy.aws.ServerlessCache[]
---@overload fun(collection: "cache_subnet_groups"): ecpolicy.aws.CacheSubnetGroup[]
---@overload fun(collection: "users"): ecpolicy.aws.User[]
---@overload fun(collection: "user_groups"): ecpolicy.aws.UserGroup[]
---@overload fun(collection: "snapshots"): ecpolicy.aws.Snapshot[]
---@overload fun(collection: "security_groups"): ecpolicy.aws.SecurityGroup[]
---@overload fun(collection: "vpcs"): ecpolicy.aws.Vpc[]
---@overload fun(collection: "subnets"): ecpolicy.aws.Subnet[]
---@overload fun(collection: "route_tables"): ecpolicy.aws.RouteTable[]
---@overload fun(collection: "network_acls"): ecpolicy.aws.NetworkAcl[]
---@overload fun(collection: "managed_prefix_lists"): ecpolicy.aws.ManagedPrefixList[]
---@overload fun(collection: "prefix_list_entries"): ecpolicy.aws.PrefixListEntries[]
---@overload fun(collection: "tags"): ecpolicy.aws.ResourceTagMapping[]
---@param collection ecpolicy.Collection
---@return table[] records
function Context.list(collection) end

--- The route table that governs the subnet: its explicit association, else
--- the main table of the subnet's VPC (vpc_id, else the subnet's VpcId).
--- Aborts as unknown when route_tables (or, to find the VPC, subnets) is
--- incomplete or no table governs the subnet; so it never returns nil.
---@param subnet_id string
---@param vpc_id? string
---@return ecpolicy.aws.RouteTable route_table
---@return "explicit"|"main" association
function Context.route_table_for_subnet(subnet_id, vpc_id) end

--- The CIDRs of a managed prefix list (a read-only list, the same one for
--- the same id); aborts as unknown when its entries were not collected.
---@param prefix_list_id string
---@return string[] cidrs
function Context.prefix_list_cidrs(prefix_list_id) end

--- True when t[field] can be read without aborting on missing data.
---@param t table
---@param field any
---@return boolean
function Context.available(t, field) end

--- Aborts the check with an `unknown` result; never returns.
---@param reason string
function Context.unknown(reason) end

--- A value that stands for the inventory record behind t for the whole run
--- (a memo key); a value that is not an inventory table is its own key.
---@param t any
---@return any key
function Context.key(t) end

---------------------------------------------------------------------------
-- The caches view (docs/inventory-model.md, "The caches view")

---@alias ecpolicy.CacheKind "cache_cluster"|"replication_group"|"serverless_cache"

---@class ecpolicy.TransitEncryption
---@field enabled boolean missing when the record does not report it
---@field mode? "preferred"|"required"

---@class ecpolicy.AtRestEncryption
---@field enabled boolean missing when the record does not report it
---@field kms_key_id? string

---@class ecpolicy.Auth
---@field token_enabled boolean missing when not reported; false for serverless caches
---@field token_last_modified? string a timestamp, `YYYY-MM-DDTHH:MM:SS[.fff]Z`
---@field user_group_ids string[] empty for standalone clusters

--- One cache, whatever its kind, with normalized fields.
---@class ecpolicy.Cache
---@field kind ecpolicy.CacheKind
---@field id string CacheClusterId, ReplicationGroupId or ServerlessCacheName
---@field arn? string
---@field region string
---@field engine string lower case: "redis", "valkey" or "memcached"
---@field engine_version? string
---@field status? string
---@field ports integer[] sorted, without duplicates; missing when none is reported
---@field in_vpc boolean
---@field subnet_group_name? string nil for serverless caches and caches outside a VPC
---@field subnet_group? ecpolicy.aws.CacheSubnetGroup
---@field vpc_id? string
---@field subnet_ids string[]
---@field subnets? ecpolicy.aws.Subnet[] nil for a cache outside a VPC
---@field security_group_ids string[]
---@field security_groups ecpolicy.aws.SecurityGroup[]
---@field transit_encryption ecpolicy.TransitEncryption
---@field at_rest_encryption ecpolicy.AtRestEncryption
---@field auth ecpolicy.Auth
---@field backup_retention? integer SnapshotRetentionLimit
---@field network_type? "ipv4"|"ipv6"|"dual_stack"
---@field auto_minor_version_upgrade? boolean nil for serverless caches
---@field automatic_failover? string replication groups only: "enabled", "disabled", "enabling", "disabling"
---@field multi_az? string replication groups only: "enabled", "disabled"
---@field log_delivery ecpolicy.aws.LogDeliveryConfiguration[] empty when none, and for serverless caches
---@field members? ecpolicy.aws.CacheCluster[] replication groups only: the member clusters
---@field tags table<string, string> `{ Key = Value }`; missing when the tags collection is incomplete
---@field raw ecpolicy.aws.CacheCluster|ecpolicy.aws.ReplicationGroup|ecpolicy.aws.ServerlessCache the raw record

---------------------------------------------------------------------------
-- Plans (docs/remediation.md, "The plan")

--- A string, or `{ text, met }`: met true or false when the inventory
--- tells, nil when it does not (as the string alone).
---@alias ecpolicy.Precondition string|{ text: string, met?: boolean }

---@class ecpolicy.Wait
---@field waiter string such as "ReplicationGroupAvailable"
---@field params table the waiter's parameters

---@alias ecpolicy.Step ecpolicy.CallStep|ecpolicy.ManualStep

--- One AWS API call.  The engine adds `region` and `cli` to it.
---@class ecpolicy.CallStep
---@field title string
---@field service "elasticache"|"ec2"
---@field action string the API action as AWS names it, such as "ModifyReplicationGroup"
---@field params table its exact parameters, with the API member names
---@field effect "in_place"|"migration"
---@field wait? ecpolicy.Wait
---@field backout? ecpolicy.Step the step that undoes this one (this or no_backout)
---@field no_backout? string why there is nothing to undo

--- What a person does: cut clients over, verify, decide.
---@class ecpolicy.ManualStep
---@field title string
---@field instructions string
---@field backout? ecpolicy.Step
---@field no_backout? string

---@class ecpolicy.Plan
---@field summary string one line: what the plan does
---@field steps ecpolicy.Step[] at least one, in order
---@field preconditions? ecpolicy.Precondition[]
---@field warnings? string[]
---@field kind? "in_place"|"migration" computed from the steps; an error if given and different

---------------------------------------------------------------------------
-- Raw records (docs/inventory-model.md, "Collections"): every member of
-- the AWS API model's shape, as the AWS CLI prints it.  Only the id member
-- is sure to be there; nested shapes that no policy reads are `table`.

--- One record of prefix_list_entries: the entries of one prefix list.
---@class ecpolicy.aws.PrefixListEntries
---@field PrefixListId string
---@field Entries? { Cidr?: string, Description?: string }[]

---@class ecpolicy.aws.CacheCluster
---@field ARN? string
---@field AtRestEncryptionEnabled? boolean
---@field AuthTokenEnabled? boolean
---@field AuthTokenLastModifiedDate? string
---@field AutoMinorVersionUpgrade? boolean
---@field CacheClusterCreateTime? string
---@field CacheClusterId string
---@field CacheClusterStatus? string
---@field CacheNodeType? string
---@field CacheNodes? ecpolicy.aws.CacheNode[]
---@field CacheParameterGroup? ecpolicy.aws.CacheParameterGroupStatus
---@field CacheSecurityGroups? table[]
---@field CacheSubnetGroupName? string
---@field ClientDownloadLandingPage? string
---@field ConfigurationEndpoint? ecpolicy.aws.Endpoint
---@field Engine? string
---@field EngineVersion? string
---@field IpDiscovery? string
---@field LogDeliveryConfigurations? ecpolicy.aws.LogDeliveryConfiguration[]
---@field NetworkType? string
---@field NotificationConfiguration? ecpolicy.aws.NotificationConfiguration
---@field NumCacheNodes? integer
---@field PendingModifiedValues? table
---@field PreferredAvailabilityZone? string
---@field PreferredMaintenanceWindow? string
---@field PreferredOutpostArn? string
---@field ReplicationGroupId? string
---@field ReplicationGroupLogDeliveryEnabled? boolean
---@field SecurityGroups? ecpolicy.aws.SecurityGroupMembership[]
---@field SnapshotRetentionLimit? integer
---@field SnapshotWindow? string
---@field TransitEncryptionEnabled? boolean
---@field TransitEncryptionMode? string

---@class ecpolicy.aws.ReplicationGroup
---@field ARN? string
---@field AtRestEncryptionEnabled? boolean
---@field AuthTokenEnabled? boolean
---@field AuthTokenLastModifiedDate? string
---@field AutoMinorVersionUpgrade? boolean
---@field AutomaticFailover? string
---@field CacheNodeType? string
---@field ClusterEnabled? boolean
---@field ClusterMode? string
---@field ConfigurationEndpoint? ecpolicy.aws.Endpoint
---@field DataTiering? string
---@field Description? string
---@field Engine? string
---@field GlobalReplicationGroupInfo? ecpolicy.aws.GlobalReplicationGroupInfo
---@field IpDiscovery? string
---@field KmsKeyId? string
---@field LogDeliveryConfigurations? ecpolicy.aws.LogDeliveryConfiguration[]
---@field MemberClusters? string[]
---@field MemberClustersOutpostArns? string[]
---@field MultiAZ? string
---@field NetworkType? string
---@field NodeGroups? ecpolicy.aws.NodeGroup[]
---@field PendingModifiedValues? table
---@field ReplicationGroupCreateTime? string
---@field ReplicationGroupId string
---@field SnapshotRetentionLimit? integer
---@field SnapshotWindow? string
---@field SnapshottingClusterId? string
---@field Status? string
---@field TransitEncryptionEnabled? boolean
---@field TransitEncryptionMode? string
---@field UserGroupIds? string[]

---@class ecpolicy.aws.ServerlessCache
---@field ARN? string
---@field CacheUsageLimits? table
---@field CreateTime? string
---@field DailySnapshotTime? string
---@field Description? string
---@field Endpoint? ecpolicy.aws.Endpoint
---@field Engine? string
---@field FullEngineVersion? string
---@field KmsKeyId? string
---@field MajorEngineVersion? string
---@field NetworkType? string
---@field ReaderEndpoint? ecpolicy.aws.Endpoint
---@field SecurityGroupIds? string[]
---@field ServerlessCacheName string
---@field SnapshotRetentionLimit? integer
---@field Status? string
---@field SubnetIds? string[]
---@field UserGroupId? string

---@class ecpolicy.aws.CacheSubnetGroup
---@field ARN? string
---@field CacheSubnetGroupDescription? string
---@field CacheSubnetGroupName string
---@field Subnets? ecpolicy.aws.CacheSubnet[]
---@field SupportedNetworkTypes? string[]
---@field VpcId? string

---@class ecpolicy.aws.User
---@field ARN? string
---@field AccessString? string
---@field Authentication? ecpolicy.aws.Authentication
---@field Engine? string
---@field MinimumEngineVersion? string
---@field Status? string
---@field UserGroupIds? string[]
---@field UserId string
---@field UserName? string

---@class ecpolicy.aws.UserGroup
---@field ARN? string
---@field Engine? string
---@field MinimumEngineVersion? string
---@field PendingChanges? table
---@field ReplicationGroups? string[]
---@field ServerlessCaches? string[]
---@field Status? string
---@field UserGroupId string
---@field UserIds? string[]

---@class ecpolicy.aws.Snapshot
---@field ARN? string
---@field AutoMinorVersionUpgrade? boolean
---@field AutomaticFailover? string
---@field CacheClusterCreateTime? string
---@field CacheClusterId? string
---@field CacheNodeType? string
---@field CacheParameterGroupName? string
---@field CacheSubnetGroupName? string
---@field DataTiering? string
---@field Engine? string
---@field EngineVersion? string
---@field KmsKeyId? string
---@field NodeSnapshots? ecpolicy.aws.NodeSnapshot[]
---@field NumCacheNodes? integer
---@field NumNodeGroups? integer
---@field Port? integer
---@field PreferredAvailabilityZone? string
---@field PreferredMaintenanceWindow? string
---@field PreferredOutpostArn? string
---@field ReplicationGroupDescription? string
---@field ReplicationGroupId? string
---@field SnapshotName string
---@field SnapshotRetentionLimit? integer
---@field SnapshotSource? string
---@field SnapshotStatus? string
---@field SnapshotWindow? string
---@field TopicArn? string
---@field VpcId? string

---@class ecpolicy.aws.Endpoint
---@field Address? string
---@field Port? integer

---@class ecpolicy.aws.CacheNode
---@field CacheNodeCreateTime? string
---@field CacheNodeId? string
---@field CacheNodeStatus? string
---@field CustomerAvailabilityZone? string
---@field CustomerOutpostArn? string
---@field Endpoint? ecpolicy.aws.Endpoint
---@field ParameterGroupStatus? string
---@field SourceCacheNodeId? string

---@class ecpolicy.aws.NodeGroup
---@field NodeGroupId? string
---@field NodeGroupMembers? ecpolicy.aws.NodeGroupMember[]
---@field PrimaryEndpoint? ecpolicy.aws.Endpoint
---@field ReaderEndpoint? ecpolicy.aws.Endpoint
---@field Slots? string
---@field Status? string

---@class ecpolicy.aws.NodeGroupMember
---@field CacheClusterId? string
---@field CacheNodeId? string
---@field CurrentRole? string
---@field PreferredAvailabilityZone? string
---@field PreferredOutpostArn? string
---@field ReadEndpoint? ecpolicy.aws.Endpoint

---@class ecpolicy.aws.SecurityGroupMembership
---@field SecurityGroupId? string
---@field Status? string

---@class ecpolicy.aws.LogDeliveryConfiguration
---@field DestinationDetails? table
---@field DestinationType? string
---@field LogFormat? string
---@field LogType? string
---@field Message? string
---@field Status? string

---@class ecpolicy.aws.CacheParameterGroupStatus
---@field CacheNodeIdsToReboot? string[]
---@field CacheParameterGroupName? string
---@field ParameterApplyStatus? string

---@class ecpolicy.aws.NotificationConfiguration
---@field TopicArn? string
---@field TopicStatus? string

---@class ecpolicy.aws.GlobalReplicationGroupInfo
---@field GlobalReplicationGroupId? string
---@field GlobalReplicationGroupMemberRole? string

---@class ecpolicy.aws.Authentication
---@field PasswordCount? integer
---@field Type? string

---@class ecpolicy.aws.CacheSubnet
---@field SubnetAvailabilityZone? table
---@field SubnetIdentifier? string
---@field SubnetOutpost? table
---@field SupportedNetworkTypes? string[]

---@class ecpolicy.aws.NodeSnapshot
---@field CacheClusterId? string
---@field CacheNodeCreateTime? string
---@field CacheNodeId? string
---@field CacheSize? string
---@field NodeGroupConfiguration? table
---@field NodeGroupId? string
---@field SnapshotCreateTime? string

---@class ecpolicy.aws.SecurityGroup
---@field Description? string
---@field GroupId string
---@field GroupName? string
---@field IpPermissions? ecpolicy.aws.IpPermission[]
---@field IpPermissionsEgress? ecpolicy.aws.IpPermission[]
---@field OwnerId? string
---@field SecurityGroupArn? string
---@field Tags? ecpolicy.aws.Tag[]
---@field VpcId? string

---@class ecpolicy.aws.IpPermission
---@field FromPort? integer
---@field IpProtocol? string
---@field IpRanges? ecpolicy.aws.IpRange[]
---@field Ipv6Ranges? ecpolicy.aws.Ipv6Range[]
---@field PrefixListIds? ecpolicy.aws.PrefixListId[]
---@field ToPort? integer
---@field UserIdGroupPairs? ecpolicy.aws.UserIdGroupPair[]

---@class ecpolicy.aws.IpRange
---@field CidrIp? string
---@field Description? string

---@class ecpolicy.aws.Ipv6Range
---@field CidrIpv6? string
---@field Description? string

---@class ecpolicy.aws.PrefixListId
---@field Description? string
---@field PrefixListId? string

---@class ecpolicy.aws.UserIdGroupPair
---@field Description? string
---@field GroupId? string
---@field GroupName? string
---@field PeeringStatus? string
---@field UserId? string
---@field VpcId? string
---@field VpcPeeringConnectionId? string

---@class ecpolicy.aws.Tag
---@field Key? string
---@field Value? string

---@class ecpolicy.aws.Subnet
---@field AssignIpv6AddressOnCreation? boolean
---@field AvailabilityZone? string
---@field AvailabilityZoneId? string
---@field AvailableIpAddressCount? integer
---@field BlockPublicAccessStates? table
---@field CidrBlock? string
---@field CustomerOwnedIpv4Pool? string
---@field DefaultForAz? boolean
---@field EnableDns64? boolean
---@field EnableLniAtDeviceIndex? integer
---@field Ipv6CidrBlockAssociationSet? ecpolicy.aws.SubnetIpv6CidrBlockAssociation[]
---@field Ipv6Native? boolean
---@field MapCustomerOwnedIpOnLaunch? boolean
---@field MapPublicIpOnLaunch? boolean
---@field OutpostArn? string
---@field OwnerId? string
---@field PrivateDnsNameOptionsOnLaunch? table
---@field State? string
---@field SubnetArn? string
---@field SubnetId string
---@field Tags? ecpolicy.aws.Tag[]
---@field Type? string
---@field VpcId? string

---@class ecpolicy.aws.SubnetIpv6CidrBlockAssociation
---@field AssociationId? string
---@field IpSource? string
---@field Ipv6AddressAttribute? string
---@field Ipv6CidrBlock? string
---@field Ipv6CidrBlockState? table

---@class ecpolicy.aws.RouteTable
---@field Associations? ecpolicy.aws.RouteTableAssociation[]
---@field OwnerId? string
---@field PropagatingVgws? table[]
---@field RouteTableId string
---@field Routes? ecpolicy.aws.Route[]
---@field Tags? ecpolicy.aws.Tag[]
---@field VpcId? string

---@class ecpolicy.aws.Route
---@field CarrierGatewayId? string
---@field CoreNetworkArn? string
---@field DestinationCidrBlock? string
---@field DestinationIpv6CidrBlock? string
---@field DestinationPrefixListId? string
---@field EgressOnlyInternetGatewayId? string
---@field GatewayId? string
---@field InstanceId? string
---@field InstanceOwnerId? string
---@field IpAddress? string
---@field LocalGatewayId? string
---@field NatGatewayId? string
---@field NetworkInterfaceId? string
---@field OdbNetworkArn? string
---@field Origin? string
---@field State? string
---@field TransitGatewayId? string
---@field VpcPeeringConnectionId? string

---@class ecpolicy.aws.RouteTableAssociation
---@field AssociationState? table
---@field GatewayId? string
---@field Main? boolean
---@field PublicIpv4Pool? string
---@field RouteTableAssociationId? string
---@field RouteTableId? string
---@field SubnetId? string

---@class ecpolicy.aws.NetworkAcl
---@field Associations? ecpolicy.aws.NetworkAclAssociation[]
---@field Entries? ecpolicy.aws.NetworkAclEntry[]
---@field IsDefault? boolean
---@field NetworkAclId string
---@field OwnerId? string
---@field Tags? ecpolicy.aws.Tag[]
---@field VpcId? string

---@class ecpolicy.aws.NetworkAclEntry
---@field CidrBlock? string
---@field Egress? boolean
---@field IcmpTypeCode? table
---@field Ipv6CidrBlock? string
---@field PortRange? ecpolicy.aws.PortRange
---@field Protocol? string
---@field RuleAction? string
---@field RuleNumber? integer

---@class ecpolicy.aws.NetworkAclAssociation
---@field NetworkAclAssociationId? string
---@field NetworkAclId? string
---@field SubnetId? string

---@class ecpolicy.aws.PortRange
---@field From? integer
---@field To? integer

---@class ecpolicy.aws.Vpc
---@field BlockPublicAccessStates? table
---@field CidrBlock? string
---@field CidrBlockAssociationSet? table[]
---@field DhcpOptionsId? string
---@field EncryptionControl? table
---@field InstanceTenancy? string
---@field Ipv6CidrBlockAssociationSet? table[]
---@field IsDefault? boolean
---@field OwnerId? string
---@field State? string
---@field Tags? ecpolicy.aws.Tag[]
---@field VpcId string

---@class ecpolicy.aws.ManagedPrefixList
---@field AddressFamily? string
---@field IpamPrefixListResolverSyncEnabled? boolean
---@field IpamPrefixListResolverTargetId? string
---@field MaxEntries? integer
---@field OwnerId? string
---@field PrefixListArn? string
---@field PrefixListId string
---@field PrefixListName? string
---@field State? string
---@field StateMessage? string
---@field Tags? ecpolicy.aws.Tag[]
---@field Version? integer

---@class ecpolicy.aws.ResourceTagMapping
---@field ComplianceDetails? table
---@field ResourceARN string
---@field Tags? ecpolicy.aws.Tag[]
