"""The counter over the API: applicants, case files, applications, measures, requests. Every
write calls the same `cases` service the screens call."""
