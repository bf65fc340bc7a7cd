/*
 * runs.c - what a workload runs, and the endpoints each feature needs
 * without internet (see runs.h). Only what a source says is required is
 * required; the rest is listed as what the feature may use, so that the
 * endpoints are not reported as unused (W0602).
 */
#include "runs.h"

#include <string.h>

/* The SageMaker Python SDK's jobs, as awsdocs' SageMaker Developer Guide PR #259 reports them. */
#define SRC_SDK_JOBS \
	"awsdocs/amazon-sagemaker-developer-guide pull request #259: without the sts endpoint " \
	"the SageMaker Python SDK fails to launch a remote job with an STS permission error, " \
	"without the logs endpoint its wait shows \"Starting\" forever; reference endpoints.md " \
	"3.1 and 3.2 (sts and logs for the SDK's remote jobs, S3 for their data)"

const struct run_feature run_features[] = {
	{ "training", "runs training jobs", {
		"launching training jobs with the SageMaker Python SDK",
		{ "sagemaker.api", "sts", "logs", "s3" },
		{ "ecr.api", "ecr.dkr", "monitoring", "sagemaker.api-fips" },
		SRC_SDK_JOBS, { { 0 } }, NULL } },
	{ "processing", "runs processing jobs", {
		"launching processing jobs with the SageMaker Python SDK",
		{ "sagemaker.api", "sts", "logs", "s3" },
		{ "ecr.api", "ecr.dkr", "monitoring", "sagemaker.api-fips" },
		SRC_SDK_JOBS, { { 0 } }, NULL } },
	{ "pipelines", "runs SageMaker Pipelines", {
		"starting SageMaker Pipelines",
		{ "sagemaker.api", "s3" },
		{ "sts", "logs", "sagemaker.api-fips" },
		"CreatePipeline and StartPipelineExecution are SageMaker API calls (SageMaker API "
		"reference); the SDK uploads the pipeline's code and definition to S3", { { 0 } }, NULL } },
	{ "feature_store", "uses Feature Store", {
		"creating feature groups and reading and writing records",
		{ "sagemaker.api", "sagemaker.featurestore-runtime" },
		{ "s3" },
		"CreateFeatureGroup is a SageMaker API call; PutRecord and GetRecord are calls of "
		"the Feature Store runtime (SageMaker API reference, Amazon SageMaker Feature Store "
		"Runtime); both services are in AWS PrivateLink's list", { { 0 } }, NULL } },
	{ "experiments", "logs SageMaker Experiments", {
		"logging runs with SageMaker Experiments",
		{ "sagemaker.api", "sagemaker.metrics" },
		{ 0 },
		"CreateExperiment and CreateTrial are SageMaker API calls; a run's metrics go to "
		"BatchPutMetrics of SageMaker Metrics (SageMaker API reference, Amazon SageMaker "
		"Metrics Service), com.amazonaws.<region>.sagemaker.metrics in AWS PrivateLink's list", { { 0 } }, NULL } },
	{ "mlflow", "logs to managed MLflow", {
		"logging to a SageMaker managed MLflow tracking server",
		{ "sagemaker.api", "experiments" },
		{ 0 },
		"SageMaker Developer Guide, mlflow-interface-endpoint-create: the endpoint "
		"aws.sagemaker.<region>.experiments, and the SageMaker API endpoint for "
		"CreatePresignedMlflowTrackingServerUrl", { { 0 } }, NULL } },
	{ "model_registry", "registers models", {
		"registering model versions",
		{ "sagemaker.api" },
		{ "s3" },
		"CreateModelPackage and CreateModelPackageGroup are SageMaker API calls (SageMaker API "
		"reference); model artifacts are in S3", { { 0 } }, NULL } },
	{ "inference", "runs inference", {
		"deploying models and invoking endpoints",
		{ "sagemaker.api", "sagemaker.runtime" },
		{ "sagemaker.runtime-fips" },
		"CreateEndpoint is a SageMaker API call, InvokeEndpoint a SageMaker Runtime call "
		"(SageMaker Developer Guide, interface-vpc-endpoint)", { { 0 } }, NULL } },
};

const size_t run_count = sizeof run_features / sizeof run_features[0];

const char *const run_words[] = {
	"training", "processing", "pipelines", "feature_store", "experiments", "mlflow",
	"model_registry", "inference", NULL
};

void runs_get(struct checker *ck, const struct ast_item *attr, struct ptrvec *out)
{
	struct ptrvec words = { 0 };
	ck_get_words(ck, attr, run_words, &words);
	for (size_t i = 0; i < words.n; i++) {
		const struct ck_word *w = words.items[i];
		struct m_run *r = arena_alloc(ck->arena, sizeof *r);
		r->feature = &run_features[w->index];
		r->span = w->span;
		ptrvec_push(ck->arena, out, r);
	}
}
