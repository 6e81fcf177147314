-- wrk: SQS SendMessage in the AWS JSON 1.0 protocol, as botocore sends it. The queue URL is
-- the script's argument (wrk ... URL -- QUEUE_URL), so twin serve and moto_server get the same
-- request. The Authorization header carries only a SigV4 credential scope naming sqs: moto
-- routes a request to a service by that scope (without it, it answers as S3); neither server
-- checks the signature.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AmazonSQS.SendMessage"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/"
  .. "aws4_request, SignedHeaders=content-type;host;x-amz-target, Signature=0"

function init(args)
  wrk.body = '{"QueueUrl":"' .. args[1] .. '","MessageBody":"hello from wrk"}'
end
