/*
 * endpoints.c - the endpoint service table (see endpoints.h).
 */
#include "endpoints.h"

#include <string.h>

#define COM(svc) "com.amazonaws.${AWS::Region}." svc
#define UI(svc) "aws.sagemaker.${AWS::Region}." svc

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
	  "SageMaker API (CreatePresigned*Url, training, Describe*)" },
	/* FIPS 140 variants: their own hostnames (api-fips.sagemaker.<region>), so
	 * they serve only clients configured for FIPS; not a substitute for the above. */
	{ "sagemaker.api-fips", COM("sagemaker.api-fips"), EP_INTERFACE, "SagemakerApiFips",
	  "SageMaker API, FIPS endpoint" },
	{ "sagemaker.runtime", COM("sagemaker.runtime"), EP_INTERFACE,
	  "SagemakerRuntime", "SageMaker Runtime (InvokeEndpoint)" },
	{ "sagemaker.runtime-fips", COM("sagemaker.runtime-fips"), EP_INTERFACE,
	  "SagemakerRuntimeFips", "SageMaker Runtime, FIPS endpoint" },
	{ "sagemaker.featurestore-runtime", COM("sagemaker.featurestore-runtime"),
	  EP_INTERFACE, "SagemakerFeatureStoreRuntime",
	  "SageMaker Feature Store runtime" },
	/* SageMaker Metrics (BatchPutMetrics), where Experiments runs log their metrics. */
	{ "sagemaker.metrics", COM("sagemaker.metrics"), EP_INTERFACE, "SagemakerMetrics",
	  "SageMaker Metrics (Experiments' metrics)" },
	{ "sagemaker-geospatial", COM("sagemaker-geospatial"), EP_INTERFACE,
	  "SagemakerGeospatial", "SageMaker geospatial capabilities" },
	{ "sagemaker-data-science-assistant", COM("sagemaker-data-science-assistant"),
	  EP_INTERFACE, "SagemakerDataScienceAssistant", "SageMaker data science assistant" },
	{ "notebook", UI("notebook"), EP_INTERFACE, "Notebook",
	  "notebook instance UI (Jupyter) from inside the VPC" },
	{ "studio", UI("studio"), EP_INTERFACE, "Studio",
	  "Studio UI from inside the VPC" },
	/* Managed MLflow tracking servers: SageMaker Developer Guide,
	 * mlflow-interface-endpoint-create (with the sagemaker.api endpoint for
	 * CreatePresignedMlflowTrackingServerUrl). */
	{ "experiments", UI("experiments"), EP_INTERFACE, "Experiments",
	  "SageMaker managed MLflow tracking servers" },
	{ "partner-app", UI("partner-app"), EP_INTERFACE, "PartnerApp",
	  "SageMaker Partner AI Apps" },
	{ "sts", COM("sts"), EP_INTERFACE, "Sts", "AWS STS" },
	{ "logs", COM("logs"), EP_INTERFACE, "Logs", "CloudWatch Logs" },
	{ "monitoring", COM("monitoring"), EP_INTERFACE, "Monitoring",
	  "CloudWatch metrics" },
	{ "codeartifact.api", COM("codeartifact.api"), EP_INTERFACE,
	  "CodeartifactApi", "CodeArtifact API (login token)" },
	{ "codeartifact.repositories", COM("codeartifact.repositories"),
	  EP_INTERFACE, "CodeartifactRepositories",
	  "CodeArtifact repositories (pip, npm, maven traffic)" },
	{ "ecr.api", COM("ecr.api"), EP_INTERFACE, "EcrApi", "ECR API" },
	{ "ecr.dkr", COM("ecr.dkr"), EP_INTERFACE, "EcrDkr",
	  "ECR Docker registry" },
	{ "secretsmanager", COM("secretsmanager"), EP_INTERFACE,
	  "SecretsManager", "Secrets Manager" },
	{ "kms", COM("kms"), EP_INTERFACE, "Kms", "AWS KMS" },
	{ "ssm", COM("ssm"), EP_INTERFACE, "Ssm", "Systems Manager" },
	{ "ssmmessages", COM("ssmmessages"), EP_INTERFACE, "SsmMessages",
	  "Session Manager channels" },
	{ "ec2messages", COM("ec2messages"), EP_INTERFACE, "Ec2Messages",
	  "Systems Manager agent messages" },
	{ "elasticfilesystem", COM("elasticfilesystem"), EP_INTERFACE,
	  "ElasticFileSystem", "EFS API (not needed to mount)" },
	{ "servicecatalog", COM("servicecatalog"), EP_INTERFACE,
	  "ServiceCatalog", "Service Catalog (SageMaker Projects)" },
	{ "s3", COM("s3"), EP_GATEWAY, "S3", "Amazon S3 (gateway)" },
	{ "dynamodb", COM("dynamodb"), EP_GATEWAY, "DynamoDb",
	  "DynamoDB (gateway)" },
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
