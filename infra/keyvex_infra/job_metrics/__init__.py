"""The job metrics function's code (deployed as a Lambda asset; boto3 is its only import)."""
