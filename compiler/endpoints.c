/*
 * endpoints.c - the endpoint service table (see endpoints.h).
 */
#include "endpoints.h"

#include <string.h>

#define COM(svc) "com.amazonaws.${AWS::Region}." svc
#define UI(svc) "aws.sagemaker.${AWS::Region}." svc

/*
 * Where AWS says a service takes an endpoint policy: the service's own
 * page on VPC endpoints, or AWS's data-perimeter examples (one policy per
 * service). Rows without one get no policy: AWS refuses a policy on an
 * endpoint whose service does not support them (VPC User Guide,
 * vpc-endpoints-access: "Not all AWS services support endpoint policies").
 */
#define DOCS "https://docs.aws.amazon.com/"
#define SRC_DP(svc) "https://github.com/aws-samples/data-perimeter-policy-examples/blob/main/vpc_endpoint_policies/" svc "_endpoint_policy.json"
#define SRC_SM_VPCE DOCS "sagemaker/latest/dg/interface-vpc-endpoint.html (endpoint policies for the SageMaker API and Runtime)"
#define SRC_SM_NB DOCS "sagemaker/latest/dg/notebook-interface-endpoint.html (a VPC endpoint policy for notebook instances)"
#define SRC_SM_STUDIO DOCS "sagemaker/latest/dg/studio-interface-endpoint.html (a VPC endpoint policy for Studio)"
#define SRC_LOGS DOCS "AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html" " (page named, not re-read)"
#define SRC_CW DOCS "AmazonCloudWatch/latest/monitoring/cloudwatch-and-interface-VPC.html" " (page named, not re-read)"
#define SRC_CA DOCS "codeartifact/latest/ug/create-vpc-endoint-policy.html (sic)"
#define SRC_ECR DOCS "AmazonECR/latest/userguide/vpc-endpoints.html (endpoint policies for ECR); " SRC_DP("ecr.api")
#define SRC_SM DOCS "secretsmanager/latest/userguide/vpc-endpoint-overview.html" " (page named, not re-read)"
#define SRC_KMS DOCS "kms/latest/developerguide/kms-vpc-endpoint.html" " (page named, not re-read)"
#define SRC_SSM "not read in an AWS page: asked by issue 12 for remote access, like the ssm policy of " SRC_DP("ssm") "; aws ec2 describe-vpc-endpoint-services shows VpcEndpointPolicySupported"
#define SRC_GW DOCS "vpc/latest/privatelink/vpc-endpoints-access.html (gateway endpoints take policies)"

/*
 * The SageMaker services are AWS PrivateLink's whole SageMaker catalogue:
 * the PrivateLink guide's list ("AWS services that integrate with AWS
 * PrivateLink": notebook, studio, sagemaker.api, featurestore-runtime,
 * metrics, runtime, runtime-fips), completed from the AWS CDK's table of
 * interface endpoint services (aws/aws-cdk,
 * packages/aws-cdk-lib/aws-ec2/lib/vpc-endpoint.ts: api-fips, experiments,
 * partner-app, geospatial, data-science-assistant) and each service's own
 * page where one exists (below).
 */
const struct ep_service ep_services[] = {
	{ "sagemaker.api", COM("sagemaker.api"), EP_INTERFACE, "SagemakerApi",
	  "SageMaker API (CreatePresigned*Url, training, Describe*)",
	  SRC_SM_VPCE },
	/* FIPS 140 variants: their own hostnames (api-fips.sagemaker.<region>), so
	 * they serve only clients configured for FIPS; not a substitute for the above. */
	{ "sagemaker.api-fips", COM("sagemaker.api-fips"), EP_INTERFACE, "SagemakerApiFips",
	  "SageMaker API, FIPS endpoint",
	  NULL },
	{ "sagemaker.runtime", COM("sagemaker.runtime"), EP_INTERFACE,
	  "SagemakerRuntime", "SageMaker Runtime (InvokeEndpoint)",
	  SRC_SM_VPCE },
	{ "sagemaker.runtime-fips", COM("sagemaker.runtime-fips"), EP_INTERFACE,
	  "SagemakerRuntimeFips", "SageMaker Runtime, FIPS endpoint",
	  NULL },
	{ "sagemaker.featurestore-runtime", COM("sagemaker.featurestore-runtime"),
	  EP_INTERFACE, "SagemakerFeatureStoreRuntime",
	  "SageMaker Feature Store runtime",
	  NULL },
	/* SageMaker Metrics (BatchPutMetrics), where Experiments runs log their metrics. */
	{ "sagemaker.metrics", COM("sagemaker.metrics"), EP_INTERFACE, "SagemakerMetrics",
	  "SageMaker Metrics (Experiments' metrics)",
	  NULL },
	{ "sagemaker-geospatial", COM("sagemaker-geospatial"), EP_INTERFACE,
	  "SagemakerGeospatial", "SageMaker geospatial capabilities",
	  NULL },
	{ "sagemaker-data-science-assistant", COM("sagemaker-data-science-assistant"),
	  EP_INTERFACE, "SagemakerDataScienceAssistant", "SageMaker data science assistant",
	  NULL },
	{ "notebook", UI("notebook"), EP_INTERFACE, "Notebook",
	  "notebook instance UI (Jupyter) from inside the VPC",
	  SRC_SM_NB },
	{ "studio", UI("studio"), EP_INTERFACE, "Studio",
	  "Studio UI from inside the VPC",
	  SRC_SM_STUDIO },
	/* Managed MLflow tracking servers: SageMaker Developer Guide,
	 * mlflow-interface-endpoint-create (with the sagemaker.api endpoint for
	 * CreatePresignedMlflowTrackingServerUrl). */
	{ "experiments", UI("experiments"), EP_INTERFACE, "Experiments",
	  "SageMaker managed MLflow tracking servers",
	  NULL },
	{ "partner-app", UI("partner-app"), EP_INTERFACE, "PartnerApp",
	  "SageMaker Partner AI Apps",
	  NULL },
	{ "sts", COM("sts"), EP_INTERFACE, "Sts", "AWS STS",
	  SRC_DP("sts") },
	{ "logs", COM("logs"), EP_INTERFACE, "Logs", "CloudWatch Logs",
	  SRC_LOGS },
	{ "monitoring", COM("monitoring"), EP_INTERFACE, "Monitoring",
	  "CloudWatch metrics",
	  SRC_CW },
	{ "codeartifact.api", COM("codeartifact.api"), EP_INTERFACE,
	  "CodeartifactApi", "CodeArtifact API (login token)",
	  SRC_CA },
	{ "codeartifact.repositories", COM("codeartifact.repositories"),
	  EP_INTERFACE, "CodeartifactRepositories",
	  "CodeArtifact repositories (pip, npm, maven traffic)",
	  SRC_CA },
	{ "ecr.api", COM("ecr.api"), EP_INTERFACE, "EcrApi", "ECR API",
	  SRC_ECR },
	{ "ecr.dkr", COM("ecr.dkr"), EP_INTERFACE, "EcrDkr",
	  "ECR Docker registry",
	  SRC_ECR },
	{ "secretsmanager", COM("secretsmanager"), EP_INTERFACE,
	  "SecretsManager", "Secrets Manager",
	  SRC_SM },
	{ "kms", COM("kms"), EP_INTERFACE, "Kms", "AWS KMS",
	  SRC_KMS },
	{ "ssm", COM("ssm"), EP_INTERFACE, "Ssm", "Systems Manager",
	  SRC_DP("ssm") },
	{ "ssmmessages", COM("ssmmessages"), EP_INTERFACE, "SsmMessages",
	  "Session Manager channels",
	  SRC_SSM },
	{ "ec2messages", COM("ec2messages"), EP_INTERFACE, "Ec2Messages",
	  "Systems Manager agent messages",
	  SRC_SSM },
	{ "elasticfilesystem", COM("elasticfilesystem"), EP_INTERFACE,
	  "ElasticFileSystem", "EFS API (not needed to mount)",
	  NULL },
	{ "servicecatalog", COM("servicecatalog"), EP_INTERFACE,
	  "ServiceCatalog", "Service Catalog (SageMaker Projects)",
	  NULL },
	{ "s3", COM("s3"), EP_GATEWAY, "S3", "Amazon S3 (gateway)",
	  SRC_DP("s3") },
	{ "dynamodb", COM("dynamodb"), EP_GATEWAY, "DynamoDb",
	  "DynamoDB (gateway)",
	  SRC_GW },
};

const size_t ep_count = sizeof ep_services / sizeof ep_services[0];

const struct ep_service *ep_find(const char *name)
{
	for (size_t i = 0; i < ep_count; i++)
		if (strcmp(ep_services[i].name, name) == 0)
			return &ep_services[i];
	return NULL;
}

size_t ep_index(const struct ep_service *svc)
{
	return (size_t)(svc - ep_services);
}

void ep_fill_names(const char **out)
{
	for (size_t i = 0; i < ep_count; i++)
		out[i] = ep_services[i].name;
}
