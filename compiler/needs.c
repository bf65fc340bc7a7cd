/*
 * needs.c - the feature -> endpoint table (see needs.h), printed with its
 * sources in docs/endpoints.md. "Required in practice" rows follow from
 * what the workload calls, where AWS publishes no list.
 */
#include "needs.h"

static const struct feature_needs table[FEAT_COUNT] = {
	[FEAT_NOTEBOOK] = { "a notebook instance without internet access",
	  { "sagemaker.api", "sagemaker.runtime", "s3" },
	  { "notebook", "sts", "logs", "monitoring", "ecr.api", "ecr.dkr" },
	  "CreateNotebookInstance DirectInternetAccess; SageMaker Developer Guide, "
	  "appendix-notebook-and-internet-access" },
	[FEAT_STUDIO] = { "a VpcOnly Studio domain",
	  { "sagemaker.api", "sagemaker.runtime", "s3" },
	  { "studio", "sts", "logs", "monitoring", "sagemaker.featurestore-runtime",
	    "servicecatalog", "ecr.api", "ecr.dkr", "elasticfilesystem" },
	  "SageMaker Developer Guide, studio-notebooks-and-internet-access" },
	[FEAT_REMOTE] = { "remote access over Session Manager",
	  { "ssm", "ssmmessages" },
	  { "ec2messages" },
	  "SageMaker Developer Guide, remote-access-remote-setup-vpc-subnets-without-internet-access "
	  "(endpoints.md 3.6)" },
};

const struct feature_needs *needs_of(enum feature f)
{
	return (unsigned)f < FEAT_COUNT ? &table[f] : 0;
}
