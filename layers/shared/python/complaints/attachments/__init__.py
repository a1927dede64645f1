"""Evidence attached to a complaint: statements, screenshots, letters (docs/architecture.md §6a).

The caller asks to attach a file (its name, type and size); the server records the attachment on the
complaint through `ComplaintService.change` (audited, versioned, announced as ComplaintUpdated) and
answers with a short-lived presigned S3 POST for exactly that file under a key it chose. A malware
scanner (GuardDuty Malware Protection for S3) gives its verdict later; staff download only what it
found clean, through a short-lived link."""
