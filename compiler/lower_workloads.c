/*
 * lower_workloads.c - KMS keys, CodeArtifact, storage, notebook instances
 * and Studio domains as CloudFormation, with execution roles whose
 * statements are derived from what each workload declares it uses.
 *
 * Facts and their sources: shared/reference/cloudformation.md; the
 * remote-access policy follows docs/remote-access.md.
 */
#include <string.h>

#include "lifecycle.h"
#include "lower.h"
#include "grants.h"
#include "lower_impl.h"
#include "stdmod.h"

/*
 * A Studio domain encrypted with a customer key: whoever starts an app (the
 * execution role from Studio, a developer from a local IDE) needs
 * kms:CreateGrant and kms:DescribeKey on it, checked at CreateApp
 * (SageMaker developer guide, execution roles, CreateDomain). The grants
 * are the ones SageMaker makes for the app's volumes, so CreateGrant is
 * allowed only for AWS resources (kms:GrantIsForAWSResource, KMS guide).
 */
static void domain_key_statements(struct lowerer *lw, struct cv *sts, const struct m_kms *key)
{
	struct arena *a = lw->a;
	static const char *const grant[] = { "kms:CreateGrant" };
	static const char *const describe[] = { "kms:DescribeKey" };
	struct cv *st = lw_statement(lw, "DomainKeyGrantsForApps", "Allow", lw_strs(lw, grant, 1),
				  lw_one(lw, lw_arn_of(lw, key)));
	cv_push(a, sts, lw_when(lw, st, "Bool", "kms:GrantIsForAWSResource", cv_str(a, "true")));
	cv_push(a, sts, lw_statement(lw, "DomainKeyDescribe", "Allow", lw_strs(lw, describe, 1),
				  lw_one(lw, lw_arn_of(lw, key))));
}

/* ---- notebooks ------------------------------------------------------------------------ */

/*
 * The default notebook group: HTTPS to the VPC (its interface endpoints),
 * plus the S3 prefix list when the network has the S3 gateway endpoint;
 * in a public network, HTTPS anywhere. Never an ingress rule.
 */
static const char *notebook_sg(struct lowerer *lw, const struct m_notebook *nb,
			       const struct netl *nl)
{
	struct arena *a = lw->a;
	const char *id = logical_id(lw, "%sNotebookSecurityGroup", lw_pascal(lw, nb->name));
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::EC2::SecurityGroup");
	cv_set(a, r->props, "GroupDescription", cv_strf(a, "notebook %s: HTTPS out only", nb->name));
	cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
	struct cv *out = cv_arr(a);
	const struct m_network *net = nl->net;
	if (net->isolation == ISO_PUBLIC) {
		cv_push(a, out, lw_rule(lw, "tcp", 443, 443, "CidrIp", cv_str(a, "0.0.0.0/0"), "HTTPS"));
	} else {
		cv_push(a, out, lw_rule(lw, "tcp", 443, 443, "CidrIp", cv_str(a, lw_cidr(lw, net->cidr)),
					"HTTPS to the VPC endpoints"));
		const struct ep_service *s3 = ep_find("s3");
		if (net->has_endpoint[ep_index(s3)])
			cv_push(a, out, lw_rule(lw, "tcp", 443, 443, "DestinationPrefixListId",
						cv_ref(a, lw_prefix_list_param(lw, s3)),
						"HTTPS to S3 through the gateway endpoint"));
	}
	cv_set(a, r->props, "SecurityGroupEgress", out);
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, nb->name)));
	return id;
}

/*
 * idle_stop stops the instance it runs on, and only that one. Its ARN
 * (the notebook's Ref) names the role's own user, so the statement lives
 * in a policy attached after the instance exists: the role cannot wait
 * for it. Stopping is needed only after minutes of idleness, never while
 * the instance is being created.
 */
static void idle_stop_policy(struct lowerer *lw, const struct m_notebook *nb,
			     const char *notebook, const char *role)
{
	struct arena *a = lw->a;
	struct cfn_resource *r = cfn_add(lw->t, logical_id(lw, "%sNotebookIdleStopPolicy",
							 lw_pascal(lw, nb->name)),
					 "AWS::IAM::ManagedPolicy");
	cv_set(a, r->props, "Description", cv_strf(a, "notebook %s: idle_stop may stop this instance only",
						  nb->name));
	cv_set(a, r->props, "Roles", lw_one(lw, cv_ref(a, role)));
	static const char *const stop[] = { "sagemaker:StopNotebookInstance" };
	cv_set(a, r->props, "PolicyDocument", lw_policy_doc(lw, lw_one(lw,
		lw_statement(lw, "StopThisNotebookWhenIdle", "Allow", lw_strs(lw, stop, 1),
			  lw_one(lw, cv_ref(a, notebook))))));
}

static void lower_notebook(struct lowerer *lw, const void *obj)
{
	const struct m_notebook *nb = obj;
	struct arena *a = lw->a;
	const char *stem = lw_pascal(lw, nb->name);
	const struct netl *nl = nb->subnet ? lw_net(lw, nb->subnet->net) : NULL;
	const char *role = grants_role(lw, logical_id(lw, "%sNotebookRole", stem),
				       arena_printf(a, "notebook %s", nb->name), &nb->grants,
				       "/aws/sagemaker/NotebookInstances", false, NULL);
	const char *lc = NULL;
	if (nb->on_create || nb->on_start) {
		lc = logical_id(lw, "%sNotebookLifecycleConfig", stem);
		struct cfn_resource *r = cfn_add(lw->t, lc, "AWS::SageMaker::NotebookInstanceLifecycleConfig");
		cv_set(a, r->props, "NotebookInstanceLifecycleConfigName", cv_str(a, nb->config_name));
		struct cv *hook;
		if (nb->on_create) {
			hook = cv_obj(a);
			cv_set(a, hook, "Content", lw_script(lw, nb->on_create));
			cv_set(a, r->props, "OnCreate", lw_one(lw, hook));
		}
		if (nb->on_start) {
			hook = cv_obj(a);
			cv_set(a, hook, "Content", lw_script(lw, nb->on_start));
			cv_set(a, r->props, "OnStart", lw_one(lw, hook));
		}
	}
	struct cv *sgs = cv_arr(a);
	if (nl && nb->sgs.n == 0)
		cv_push(a, sgs, cv_getatt(a, notebook_sg(lw, nb, nl), "GroupId"));
	for (size_t i = 0; i < nb->sgs.n; i++) {
		const struct m_sg *sg = nb->sgs.items[i];
		cv_push(a, sgs, cv_getatt(a, lw_sg_id(lw, sg), "GroupId"));
	}
	const char *id = logical_id(lw, "%sNotebook", stem);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::NotebookInstance");
	/* Lifecycle steps reach AWS through the endpoints: create those first. */
	for (size_t i = 0; nl && i < nl->endpoint_ids.n; i++)
		cfn_depends(lw->t, r, nl->endpoint_ids.items[i]);
	cv_set(a, r->props, "InstanceType", lw_value(lw, &nb->instance));
	cv_set(a, r->props, "RoleArn", cv_getatt(a, role, "Arn"));
	if (nb->subnet) {
		cv_set(a, r->props, "SubnetId", cv_ref(a, lw_subnet_id(lw, nb->subnet)));
		cv_set(a, r->props, "SecurityGroupIds", sgs);
	}
	cv_set(a, r->props, "DirectInternetAccess", cv_str(a, nb->direct_internet ? "Enabled" : "Disabled"));
	cv_set(a, r->props, "RootAccess", cv_str(a, nb->root_access ? "Enabled" : "Disabled"));
	cv_set(a, r->props, "VolumeSizeInGB", cv_int(a, nb->volume_gb));
	if (nb->kms)
		cv_set(a, r->props, "KmsKeyId", lw_arn_of(lw, nb->kms));
	cv_set(a, r->props, "PlatformIdentifier", cv_str(a, nb->platform));
	if (lc)
		cv_set(a, r->props, "LifecycleConfigName",
		       cv_getatt(a, lc, "NotebookInstanceLifecycleConfigName"));
	struct cv *imds = cv_obj(a);
	cv_set(a, imds, "MinimumInstanceMetadataServiceVersion", cv_str(a, "2"));
	cv_set(a, r->props, "InstanceMetadataServiceConfiguration", imds);
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, nb->name)));
	lw_map_id(lw, nb, id);
	if (nb->grants.stop_notebook)
		idle_stop_policy(lw, nb, id, role);
	lw_output(lw, logical_id(lw, "%sNotebookUrl", stem),
		  arena_printf(a, "console page of notebook %s", nb->name),
		  cv_sub(a, arena_printf(a,
			  "https://${AWS::Region}.console.aws.amazon.com/sagemaker/home?region=${AWS::Region}#/notebook-instances/${%s.NotebookInstanceName}",
			  id)));
}

/* ---- Studio ------------------------------------------------------------------------------ */

static void self_rule(struct lowerer *lw, const char *id, const char *sg, bool egress,
		      int from, int to, const char *desc)
{
	struct arena *a = lw->a;
	struct cfn_resource *r = cfn_add(lw->t, id, egress ? "AWS::EC2::SecurityGroupEgress"
							  : "AWS::EC2::SecurityGroupIngress");
	cv_set(a, r->props, "GroupId", cv_getatt(a, sg, "GroupId"));
	cv_set(a, r->props, "IpProtocol", cv_str(a, "tcp"));
	cv_set(a, r->props, "FromPort", cv_int(a, from));
	cv_set(a, r->props, "ToPort", cv_int(a, to));
	cv_set(a, r->props, egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId",
	       cv_getatt(a, sg, "GroupId"));
	cv_set(a, r->props, "Description", cv_str(a, desc));
}

/*
 * Studio apps talk to the domain's EFS (NFS, 2049) and to each other
 * (8192-65535) inside the group, and to AWS over HTTPS: to the VPC's
 * interface endpoints and the S3 gateway, or anywhere in a public network.
 * The rules naming the group itself are separate resources, as inline
 * they would make the group depend on itself.
 */
static const char *studio_sg(struct lowerer *lw, const struct m_studio *st, const struct netl *nl)
{
	struct arena *a = lw->a;
	const char *stem = lw_pascal(lw, st->name);
	const char *id = logical_id(lw, "%sStudioSecurityGroup", stem);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::EC2::SecurityGroup");
	cv_set(a, r->props, "GroupDescription",
	       cv_strf(a, st->efs_automount ? "studio %s: EFS and app traffic inside the group, HTTPS out"
					    : "studio %s: app traffic inside the group, HTTPS out", st->name));
	cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
	struct cv *out = cv_arr(a);
	if (nl->net->isolation == ISO_PUBLIC) {
		cv_push(a, out, lw_rule(lw, "tcp", 443, 443, "CidrIp", cv_str(a, "0.0.0.0/0"), "HTTPS"));
	} else {
		cv_push(a, out, lw_rule(lw, "tcp", 443, 443, "CidrIp", cv_str(a, lw_cidr(lw, nl->net->cidr)),
					"HTTPS to the VPC endpoints"));
		const struct ep_service *s3 = ep_find("s3");
		if (nl->net->has_endpoint[ep_index(s3)])
			cv_push(a, out, lw_rule(lw, "tcp", 443, 443, "DestinationPrefixListId",
						cv_ref(a, lw_prefix_list_param(lw, s3)),
						"HTTPS to S3 through the gateway endpoint"));
	}
	cv_set(a, r->props, "SecurityGroupEgress", out);
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, st->name)));
	if (st->efs_automount) {
		self_rule(lw, logical_id(lw, "%sStudioNfsIngress", stem), id, false, 2049, 2049,
			  "NFS to the home EFS volume");
		self_rule(lw, logical_id(lw, "%sStudioNfsEgress", stem), id, true, 2049, 2049,
			  "NFS to the home EFS volume");
	}
	self_rule(lw, logical_id(lw, "%sStudioAppsIngress", stem), id, false, 8192, 65535,
		  "traffic between Studio apps");
	self_rule(lw, logical_id(lw, "%sStudioAppsEgress", stem), id, true, 8192, 65535,
		  "traffic between Studio apps");
	return id;
}

/* The config's name (with a digest of its script) comes from the checker. */
static const char *studio_lcc(struct lowerer *lw, const struct m_studio *st, enum m_app app)
{
	struct arena *a = lw->a;
	const struct m_script *s = st->apps[app].on_start;
	const char *kind = app == APP_CODE_EDITOR ? "CodeEditor" : "JupyterLab";
	const char *id = logical_id(lw, "%s%sLifecycleConfig", lw_pascal(lw, st->name), kind);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::StudioLifecycleConfig");
	cv_set(a, r->props, "StudioLifecycleConfigName", cv_str(a, s->config_name));
	cv_set(a, r->props, "StudioLifecycleConfigAppType", cv_str(a, kind));
	cv_set(a, r->props, "StudioLifecycleConfigContent", lw_script(lw, s));
	return id;
}

static struct cv *app_settings(struct lowerer *lw, const struct m_studio *st, enum m_app app,
			       const char *lcc)
{
	struct arena *a = lw->a;
	struct cv *o = cv_obj(a);
	const struct m_app_settings *as = &st->apps[app];
	if (lcc || as->instance.literal || as->instance.param) {
		struct cv *spec = cv_obj(a);
		if (as->instance.literal || as->instance.param)
			cv_set(a, spec, "InstanceType", lw_value(lw, &as->instance));
		if (lcc)
			cv_set(a, spec, "LifecycleConfigArn", cv_getatt(a, lcc, "StudioLifecycleConfigArn"));
		cv_set(a, o, "DefaultResourceSpec", spec);
	}
	if (lcc)
		cv_set(a, o, "LifecycleConfigArns", lw_one(lw, cv_getatt(a, lcc, "StudioLifecycleConfigArn")));
	if (st->idle_minutes) {
		struct cv *idle = cv_obj(a), *mgmt = cv_obj(a);
		cv_set(a, idle, "LifecycleManagement", cv_str(a, "ENABLED"));
		cv_set(a, idle, "IdleTimeoutInMinutes", cv_int(a, st->idle_minutes));
		cv_set(a, mgmt, "IdleSettings", idle);
		cv_set(a, o, "AppLifecycleManagement", mgmt);
	}
	return o;
}

static struct cv *storage_settings(struct lowerer *lw, const struct m_studio *st)
{
	struct arena *a = lw->a;
	struct cv *ebs = cv_obj(a), *o = cv_obj(a);
	cv_set(a, ebs, "DefaultEbsVolumeSizeInGb", cv_int(a, st->ebs_default_gb));
	cv_set(a, ebs, "MaximumEbsVolumeSizeInGb", cv_int(a, st->ebs_max_gb));
	cv_set(a, o, "DefaultEbsStorageSettings", ebs);
	return o;
}

/* `arn:<partition>:sagemaker:<region>:<account>:` as Fn::Sub text. */
#define SM_ARN "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:"

/*
 * What the developer's own IAM principal needs to reach one space from a
 * local IDE (docs/remote-access.md): with the AWS Toolkit or the SSH
 * connect script it reads the space, starts its app and opens a session,
 * all on this space's ARN; the listing calls have no resource scope; the
 * deep link from the Studio UI needs only a presigned URL for the owner's
 * profile (the session is then the execution role's). CreateApp on a
 * domain with a customer key needs that key's grant too.
 */
static void remote_access_policy(struct lowerer *lw, const struct m_studio *st,
				 const struct m_space *sp, const char *domain, const char *space)
{
	struct arena *a = lw->a;
	const char *stem = lw_pascal(lw, sp->name);
	const char *id = logical_id(lw, "%sRemoteAccessPolicy", stem);
	lw_map_part(lw, sp, "access", id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::IAM::ManagedPolicy");
	cv_set(a, r->props, "Description", cv_strf(a,
		"attach to the IAM principal of whoever connects to space %s from a local IDE", sp->name));
	struct cv *sts = cv_arr(a);
	static const char *const on_space[] = { "sagemaker:StartSession", "sagemaker:DescribeSpace",
						"sagemaker:UpdateSpace" };
	cv_push(a, sts, lw_statement(lw, "ThisSpace", "Allow", lw_strs(lw, on_space, 3),
		lw_one(lw, cv_getatt(a, space, "SpaceArn"))));
	const char *apps = arena_printf(a, SM_ARN "app/${%s.DomainId}/%s/*", domain, sp->space_name);
	static const char *const on_app[] = { "sagemaker:CreateApp", "sagemaker:DescribeApp",
					      "sagemaker:DeleteApp" };
	cv_push(a, sts, lw_statement(lw, "AppsOfThisSpace", "Allow", lw_strs(lw, on_app, 3),
		lw_one(lw, cv_sub(a, apps))));
	static const char *const tag[] = { "sagemaker:AddTags" };
	cv_push(a, sts, lw_when(lw, lw_statement(lw, "TagAppsItCreates", "Allow", lw_strs(lw, tag, 1),
					   lw_one(lw, cv_sub(a, apps))),
			     "Null", "sagemaker:TaggingAction", cv_str(a, "false")));
	static const char *const on_domain[] = { "sagemaker:DescribeDomain" };
	cv_push(a, sts, lw_statement(lw, "ItsDomain", "Allow", lw_strs(lw, on_domain, 1),
		lw_one(lw, cv_getatt(a, domain, "DomainArn"))));
	if (sp->owner && !st->sso) {
		static const char *const deep[] = { "sagemaker:CreatePresignedDomainUrl" };
		cv_push(a, sts, lw_statement(lw, "DeepLinkAsOwner", "Allow", lw_strs(lw, deep, 1),
			lw_one(lw, cv_sub(a, arena_printf(a, SM_ARN "user-profile/${%s.DomainId}/%s",
							domain, sp->owner->profile_name)))));
	}
	static const char *const list[] = { "sagemaker:ListSpaces", "sagemaker:ListApps" };
	cv_push(a, sts, lw_statement(lw, "ListingHasNoResourceScope", "Allow", lw_strs(lw, list, 2),
		lw_one(lw, cv_str(a, "*"))));
	/* The connect script reads the space ARN from this stack's outputs. */
	static const char *const stack[] = { "cloudformation:DescribeStacks" };
	cv_push(a, sts, lw_statement(lw, "ThisStacksOutputs", "Allow", lw_strs(lw, stack, 1),
		lw_one(lw, cv_sub(a, "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*"))));
	if (st->kms)
		domain_key_statements(lw, sts, st->kms);
	cv_set(a, r->props, "PolicyDocument", lw_policy_doc(lw, sts));
	lw_output(lw, logical_id(lw, "%sRemoteAccessPolicyArn", stem),
		  arena_printf(a, "policy to attach to the principal that connects to space %s", sp->name),
		  cv_ref(a, id));
}

/*
 * The SSH method, beyond AWS: a connect script that opens a Session
 * Manager stream to the space, and the ~/.ssh/config entry that uses it
 * as its ProxyCommand, so `ssh <alias>` (or VS Code Remote-SSH) connects.
 */
static void lower_remote_files(struct lowerer *lw, const struct m_studio *st,
			       const struct m_space *sp, const char *arn_output)
{
	struct arena *a = lw->a;
	const struct stdlib_file *script = stdlib_find("remote/connect.sh");
	const struct stdlib_file *config = stdlib_find("remote/ssh_config");
	if (!script || !config)
		return;
	const char *connect = arena_printf(a, "remote/%s-connect.sh", sp->space_name);
	const char *names[] = { "SPACE_ARN_OUTPUT", "STACK_NAME_DEFAULT", "REGION",
				"SPACE_NAME", "DOMAIN_OUTPUT" };
	const char *values[] = {
		lc_quote(a, arn_output), lc_quote(a, lw->env->name),
		lc_quote(a, lw->env->region->name), lc_quote(a, sp->space_name),
		lc_quote(a, arena_printf(a, "%sDomainId", lw_pascal(lw, st->name))),
	};
	size_t n;
	const char *text = lc_render(a, script->text, script->len, names, values, 5, &n);
	cfn_add_file(lw->t, connect, text, n, true);
	/*
	 * ssh runs ProxyCommand through the user's shell, which expands `~`;
	 * of the % tokens ssh itself expands there only %%, %h, %n, %p and %r.
	 */
	const char *home_path = arena_printf(a, ".ssh/sgc/%s-%s-connect.sh", lw->env->name,
					     sp->space_name);
	const char *cnames[] = { "HOST_ALIAS", "CONNECT_SCRIPT", "CONNECT_SOURCE", "CONNECT_HOME_PATH" };
	const char *cvalues[] = { arena_printf(a, "sgc-%s-%s", lw->env->name, sp->space_name),
				  arena_printf(a, "~/%s", home_path), connect, home_path };
	text = lc_render(a, config->text, config->len, cnames, cvalues, 4, &n);
	cfn_add_file(lw->t, arena_printf(a, "remote/%s.ssh_config", sp->space_name), text, n, false);
	/*
	 * VS Code settings for the alias: the VS Code server and extensions are
	 * downloaded on the local machine and copied over the SSH connection,
	 * so a space without internet works; starting a stopped space takes
	 * minutes, longer than Remote-SSH waits by default. The alias is
	 * [a-z0-9-] (a checked environment and space name), safe in JSON.
	 */
	text = arena_printf(a,
		"{\n"
		"  \"remote.SSH.remotePlatform\": {\n"
		"    \"%s\": \"linux\"\n"
		"  },\n"
		"  \"remote.SSH.connectTimeout\": 600,\n"
		"  \"remote.SSH.localServerDownload\": \"always\",\n"
		"  \"remote.downloadExtensionsLocally\": true\n"
		"}\n", cvalues[0]);
	cfn_add_file(lw->t, arena_printf(a, "remote/%s.vscode-settings.json", sp->space_name),
		     text, strlen(text), false);
}

static void lower_spaces(struct lowerer *lw, const struct m_studio *st, const char *domain)
{
	struct arena *a = lw->a;
	for (size_t i = 0; i < st->users.n; i++) {
		const struct m_user *u = st->users.items[i];
		const char *id = logical_id(lw, "%sUserProfile", lw_pascal(lw, u->name));
		lw_map_id(lw, u, id);
		struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::UserProfile");
		cv_set(a, r->props, "DomainId", cv_getatt(a, domain, "DomainId"));
		cv_set(a, r->props, "UserProfileName", cv_str(a, u->profile_name));
		cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, u->name)));
	}
	for (size_t i = 0; i < st->spaces.n; i++) {
		const struct m_space *sp = st->spaces.items[i];
		const char *stem = lw_pascal(lw, sp->name);
		const char *id = logical_id(lw, "%sSpace", stem);
		lw_map_id(lw, sp, id);
		struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::Space");
		cv_set(a, r->props, "DomainId", cv_getatt(a, domain, "DomainId"));
		cv_set(a, r->props, "SpaceName", cv_str(a, sp->space_name));
		struct cv *share = cv_obj(a);
		cv_set(a, share, "SharingType", cv_str(a, sp->owner ? "Private" : "Shared"));
		if (sp->owner) {
			/* The owner is named, not referenced: wait for the profile. */
			cfn_depends(lw->t, r, lw_id_of(lw, sp->owner));
			struct cv *own = cv_obj(a);
			cv_set(a, own, "OwnerUserProfileName", cv_str(a, sp->owner->profile_name));
			cv_set(a, r->props, "OwnershipSettings", own);
		}
		cv_set(a, r->props, "SpaceSharingSettings", share);
		struct cv *settings = cv_obj(a), *spec = cv_obj(a), *app = cv_obj(a);
		cv_set(a, settings, "AppType", cv_str(a, sp->app == APP_CODE_EDITOR ? "CodeEditor" : "JupyterLab"));
		cv_set(a, spec, "InstanceType", lw_value(lw, &sp->instance));
		if (sp->image)
			cv_set(a, spec, sp->image_version ? "SageMakerImageVersionArn" : "SageMakerImageArn",
			       cv_str(a, sp->image));
		cv_set(a, app, "DefaultResourceSpec", spec);
		cv_set(a, settings, sp->app == APP_CODE_EDITOR ? "CodeEditorAppSettings" : "JupyterLabAppSettings", app);
		if (sp->ebs_gb) {
			struct cv *ebs = cv_obj(a), *stg = cv_obj(a);
			cv_set(a, ebs, "EbsVolumeSizeInGb", cv_int(a, sp->ebs_gb));
			cv_set(a, stg, "EbsStorageSettings", ebs);
			cv_set(a, settings, "SpaceStorageSettings", stg);
		}
		if (sp->remote_access)
			cv_set(a, settings, "RemoteAccess", cv_str(a, "ENABLED"));
		cv_set(a, r->props, "SpaceSettings", settings);
		cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, sp->name)));
		lw_output(lw, logical_id(lw, "%sSpaceArn", stem), arena_printf(a, "ARN of space %s", sp->name),
			  cv_getatt(a, id, "SpaceArn"));
		if (sp->remote_access) {
			remote_access_policy(lw, st, sp, domain, id);
			lower_remote_files(lw, st, sp, arena_printf(a, "%sSpaceArn", stem));
		}
	}
}

static struct cv *in_domain(struct lowerer *lw, const char *domain, const char *kind)
{
	return cv_sub(lw->a, arena_printf(lw->a, SM_ARN "%s/${%s.DomainId}/*", kind, domain));
}

/*
 * Studio signs what a user does in it (open a space, start its app) with
 * the execution role, and one role serves every user of the domain. So
 * each statement on apps and spaces carries the condition keys SageMaker
 * documents for private spaces ("give your users access to only their
 * private spaces"): a user may act on spaces without an owner and on
 * spaces the user's own profile owns, never on another user's private
 * space. The policy variable ${sagemaker:UserProfileName} is the profile
 * the request comes from; in Fn::Sub it is written ${!...}. The domain
 * names the role, so these statements cannot live in the role itself (a
 * cycle): a managed policy attached to it holds them.
 */
static void studio_apps_policy(struct lowerer *lw, const struct m_studio *st,
			       const char *domain, const char *role)
{
	struct arena *a = lw->a;
	struct cfn_resource *r = cfn_add(lw->t, logical_id(lw, "%sStudioAppsPolicy", lw_pascal(lw, st->name)),
					 "AWS::IAM::ManagedPolicy");
	cv_set(a, r->props, "Description",
	       cv_strf(a, "studio %s: each user starts apps and opens spaces of their own, in this domain only", st->name));
	cv_set(a, r->props, "Roles", lw_one(lw, cv_ref(a, role)));
	struct cv *own = cv_sub(a, arena_printf(a, SM_ARN "user-profile/${%s.DomainId}/${!sagemaker:UserProfileName}",
						domain));
	struct cv *sts = cv_arr(a);
	static const char *const app_ops[] = { "sagemaker:CreateApp", "sagemaker:DeleteApp" };
	static const char *const space_ops[] = { "sagemaker:CreateSpace", "sagemaker:UpdateSpace",
						 "sagemaker:DeleteSpace" };
	static const char *const private[] = { "Private" };
	static const char *const any_sharing[] = { "Private", "Shared" };
	cv_push(a, sts, lw_when(lw, lw_statement(lw, "AppsOfSpacesWithoutOwner", "Allow", lw_strs(lw, app_ops, 2),
					   lw_one(lw, in_domain(lw, domain, "app"))),
			     "Null", "sagemaker:OwnerUserProfileArn", cv_str(a, "true")));
	struct cv *st_apps = lw_statement(lw, "AppsOfOwnPrivateSpaces", "Allow", lw_strs(lw, app_ops, 2),
				       lw_one(lw, in_domain(lw, domain, "app")));
	lw_when(lw, st_apps, "ArnLike", "sagemaker:OwnerUserProfileArn", own);
	cv_push(a, sts, lw_when(lw, st_apps, "StringEquals", "sagemaker:SpaceSharingType", lw_strs(lw, private, 1)));
	cv_push(a, sts, lw_when(lw, lw_statement(lw, "SpacesWithoutOwner", "Allow", lw_strs(lw, space_ops, 3),
					   lw_one(lw, in_domain(lw, domain, "space"))),
			     "Null", "sagemaker:OwnerUserProfileArn", cv_str(a, "true")));
	struct cv *st_spaces = lw_statement(lw, "OwnSpaces", "Allow", lw_strs(lw, space_ops, 3),
					 lw_one(lw, in_domain(lw, domain, "space")));
	lw_when(lw, st_spaces, "ArnLike", "sagemaker:OwnerUserProfileArn", own);
	cv_push(a, sts, lw_when(lw, st_spaces, "StringEquals", "sagemaker:SpaceSharingType",
			     lw_strs(lw, any_sharing, 2)));
	static const char *const tag[] = { "sagemaker:AddTags" };
	struct cv *taggable = cv_arr(a);
	cv_push(a, taggable, in_domain(lw, domain, "app"));
	cv_push(a, taggable, in_domain(lw, domain, "space"));
	cv_push(a, sts, lw_when(lw, lw_statement(lw, "TagWhatStudioCreates", "Allow", lw_strs(lw, tag, 1), taggable),
			     "Null", "sagemaker:TaggingAction", cv_str(a, "false")));
	static const char *const read_apps[] = { "sagemaker:DescribeApp" };
	static const char *const read_spaces[] = { "sagemaker:DescribeSpace" };
	static const char *const read_profiles[] = { "sagemaker:DescribeUserProfile" };
	cv_push(a, sts, lw_statement(lw, "ReadAppsOfThisDomain", "Allow", lw_strs(lw, read_apps, 1),
				  lw_one(lw, in_domain(lw, domain, "app"))));
	cv_push(a, sts, lw_statement(lw, "ReadSpacesOfThisDomain", "Allow", lw_strs(lw, read_spaces, 1),
				  lw_one(lw, in_domain(lw, domain, "space"))));
	cv_push(a, sts, lw_statement(lw, "ReadProfilesOfThisDomain", "Allow", lw_strs(lw, read_profiles, 1),
				  lw_one(lw, in_domain(lw, domain, "user-profile"))));
	static const char *const dom[] = { "sagemaker:DescribeDomain" };
	cv_push(a, sts, lw_statement(lw, "ThisDomain", "Allow", lw_strs(lw, dom, 1), lw_one(lw, cv_getatt(a, domain, "DomainArn"))));
	/* "Open in VS Code" from Studio starts the session with this role. */
	bool remote = false;
	for (size_t i = 0; i < st->spaces.n; i++)
		remote |= ((const struct m_space *)st->spaces.items[i])->remote_access;
	if (remote) {
		static const char *const session[] = { "sagemaker:StartSession" };
		cv_push(a, sts, lw_when(lw, lw_statement(lw, "OwnSpacesFromLocalIde", "Allow", lw_strs(lw, session, 1),
						   lw_one(lw, in_domain(lw, domain, "space"))),
				     "ArnLike", "sagemaker:ResourceTag/sagemaker:user-profile-arn", own));
	}
	static const char *const list[] = { "sagemaker:ListApps", "sagemaker:ListSpaces",
					    "sagemaker:ListUserProfiles", "sagemaker:ListDomains",
					    "sagemaker:ListTags" };
	cv_push(a, sts, lw_statement(lw, "ListingHasNoResourceScope", "Allow", lw_strs(lw, list, 5),
				  lw_one(lw, cv_str(a, "*"))));
	cv_set(a, r->props, "PolicyDocument", lw_policy_doc(lw, sts));
}

static void lower_studio(struct lowerer *lw, const void *obj)
{
	const struct m_studio *st = obj;
	struct arena *a = lw->a;
	const char *stem = lw_pascal(lw, st->name);
	const struct netl *nl = st->net ? lw_net(lw, st->net) : NULL;
	struct cv *key_statements = cv_arr(a);
	if (st->kms)
		domain_key_statements(lw, key_statements, st->kms);
	const char *role = grants_role(lw, logical_id(lw, "%sExecutionRole", stem),
				       arena_printf(a, "studio %s", st->name), &st->grants,
				       "/aws/sagemaker/studio", st->docker, key_statements);
	const char *sg = nl ? studio_sg(lw, st, nl) : NULL;
	const char *lcc[2] = { NULL, NULL };
	for (int app = 0; app < 2; app++)
		if (st->apps[app].on_start)
			lcc[app] = studio_lcc(lw, st, (enum m_app)app);

	const char *id = logical_id(lw, "%sDomain", stem);
	lw_map_id(lw, st, id);
	struct cfn_resource *r = cfn_add(lw->t, id, "AWS::SageMaker::Domain");
	for (size_t i = 0; nl && st->vpc_only && i < nl->endpoint_ids.n; i++)
		cfn_depends(lw->t, r, nl->endpoint_ids.items[i]);
	cv_set(a, r->props, "DomainName", cv_str(a, st->domain_name));
	cv_set(a, r->props, "AuthMode", cv_str(a, st->sso ? "SSO" : "IAM"));
	cv_set(a, r->props, "AppNetworkAccessType", cv_str(a, st->vpc_only ? "VpcOnly" : "PublicInternetOnly"));
	if (nl) {
		cv_set(a, r->props, "VpcId", cv_ref(a, nl->vpc));
		struct cv *subnets = cv_arr(a);
		for (size_t i = 0; i < st->subnets.n; i++)
			cv_push(a, subnets, cv_ref(a, lw_subnet_id(lw, st->subnets.items[i])));
		cv_set(a, r->props, "SubnetIds", subnets);
	}
	if (st->kms)
		cv_set(a, r->props, "KmsKeyId", lw_arn_of(lw, st->kms));
	if (!st->efs_automount) {
		/*
		 * No home EFS: spaces keep their data on EBS, and stack deletes do
		 * not fail on the EFS SageMaker leaves behind with its network
		 * interfaces and security groups (cloudformation-coverage-roadmap#1085).
		 */
		cv_set(a, r->props, "HomeEfsFileSystemCreation", cv_str(a, "Disabled"));
		cfn_suppress(lw->t, r, "cfn-lint", "E3002",
			     "HomeEfsFileSystemCreation is in the official AWS::SageMaker::Domain "
			     "schema; cfn-lint 1.51's bundled schema predates it");
	}
	struct cv *user = cv_obj(a);
	cv_set(a, user, "ExecutionRole", cv_getatt(a, role, "Arn"));
	if (sg)
		cv_set(a, user, "SecurityGroups", lw_one(lw, cv_getatt(a, sg, "GroupId")));
	cv_set(a, user, "AutoMountHomeEFS", cv_str(a, st->efs_automount ? "Enabled" : "Disabled"));
	cv_set(a, user, "SpaceStorageSettings", storage_settings(lw, st));
	struct cv *ce = app_settings(lw, st, APP_CODE_EDITOR, lcc[APP_CODE_EDITOR]);
	struct cv *jl = app_settings(lw, st, APP_JUPYTERLAB, lcc[APP_JUPYTERLAB]);
	if (ce->u.items.n)
		cv_set(a, user, "CodeEditorAppSettings", ce);
	if (jl->u.items.n)
		cv_set(a, user, "JupyterLabAppSettings", jl);
	cv_set(a, user, "StudioWebPortal", cv_str(a, "ENABLED"));
	cv_set(a, user, "DefaultLandingUri", cv_str(a, "studio::"));
	cv_set(a, r->props, "DefaultUserSettings", user);
	struct cv *space = cv_obj(a);
	cv_set(a, space, "ExecutionRole", cv_getatt(a, role, "Arn"));
	if (sg)
		cv_set(a, space, "SecurityGroups", lw_one(lw, cv_getatt(a, sg, "GroupId")));
	cv_set(a, r->props, "DefaultSpaceSettings", space);
	if (st->docker) {
		struct cv *docker = cv_obj(a), *ds = cv_obj(a);
		cv_set(a, docker, "EnableDockerAccess", cv_str(a, "ENABLED"));
		cv_set(a, ds, "DockerSettings", docker);
		cv_set(a, r->props, "DomainSettings", ds);
	}
	cv_set(a, r->props, "Tags", lw_tags(lw, lw_env_name(lw, st->name)));
	studio_apps_policy(lw, st, id, role);
	lw_output(lw, logical_id(lw, "%sStudioUrl", stem), arena_printf(a, "URL of studio %s", st->name),
		  cv_getatt(a, id, "Url"));
	lw_output(lw, logical_id(lw, "%sDomainId", stem), arena_printf(a, "domain ID of studio %s", st->name),
		  cv_getatt(a, id, "DomainId"));
	lower_spaces(lw, st, id);
}

/* ---- parameters ---------------------------------------------------------------------------- */

void lower_params(struct lowerer *lw)
{
	struct arena *a = lw->a;
	for (size_t i = 0; i < lw->env->params.n; i++) {
		const struct m_param *p = lw->env->params.items[i];
		if (!p->used)
			continue;
		struct cv *o = cv_obj(a);
		bool number = strcmp(p->type, "int") == 0 || strcmp(p->type, "size") == 0;
		cv_set(a, o, "Type", cv_str(a, number ? "Number" : "String"));
		if (p->dflt)
			cv_set(a, o, "Default", cv_str(a, p->dflt));
		if (strcmp(p->type, "instance") == 0)
			cv_set(a, o, "AllowedPattern", cv_str(a, "^ml\\.[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+$"));
		if (strcmp(p->type, "bool") == 0) {
			static const char *const tf[] = { "true", "false" };
			cv_set(a, o, "AllowedValues", lw_strs(lw, tf, 2));
		}
		cv_set(a, o, "Description", cv_strf(a, "param %s: %s%s", p->name, p->type,
						    strcmp(p->type, "size") == 0 ? " in GB" : ""));
		cv_set(a, lw->t->parameters, lower_pascal(a, p->name), o);
		/* The parameter file holds this stage's value, else the default. */
		const char *v = p->value ? p->value : p->dflt;
		if (v) {
			struct cv_member *m = arena_alloc(a, sizeof *m);
			m->key = lower_pascal(a, p->name);
			m->val = cv_str(a, v);
			ptrvec_push(a, &lw->t->param_values, m);
		}
	}
}

/* The kinds not yet in compiler/kinds/: one object of one of them. */
void lower_legacy(struct lowerer *lw, const char *kind, const void *obj)
{
	static const struct {
		const char *kind;
		void (*lower)(struct lowerer *, const void *);
	} legacy[] = {
		{ "notebook", lower_notebook },
		{ "studio", lower_studio },
	};
	for (size_t k = 0; k < sizeof legacy / sizeof legacy[0]; k++)
		if (strcmp(legacy[k].kind, kind) == 0)
			legacy[k].lower(lw, obj);
}


