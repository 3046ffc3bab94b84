-- Both queries read one department: give each engine the index it needs.
CREATE INDEX lines_by_department ON lines (department, nature);
ANALYZE lines;
