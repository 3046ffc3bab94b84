# The throwaway PostgreSQL 15 cluster the tests share (pg_cluster.sh): the
# ctest fixture `postgres_cluster` starts it before the first test that
# requires it and stops it after the last, even when tests fail. Each test
# makes its own database on it (tests/testing/postgres_database.h).
set(BUDGET_PG_CLUSTER_DIR ${CMAKE_BINARY_DIR}/pg_test_cluster)
add_test(NAME postgres_cluster_start
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/pg_cluster.sh start ${BUDGET_PG_CLUSTER_DIR})
set_tests_properties(postgres_cluster_start PROPERTIES
  FIXTURES_SETUP postgres_cluster)
add_test(NAME postgres_cluster_stop
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/pg_cluster.sh stop ${BUDGET_PG_CLUSTER_DIR})
set_tests_properties(postgres_cluster_stop PROPERTIES
  FIXTURES_CLEANUP postgres_cluster)

# Registers the gtest cases of test binary TARGET (made by budget_test) a
# second time, named <case>_pg, on the shared cluster with
# BUDGET_TEST_STORE=postgresql, so that the same end-to-end tests run their
# services on PostgreSQL.
function(budget_postgres_copy TARGET)
  gtest_discover_tests(${TARGET} DISCOVERY_MODE PRE_TEST
                       WORKING_DIRECTORY ${BUDGET_SOURCE_DIR}
                       TEST_SUFFIX _pg
                       PROPERTIES FIXTURES_REQUIRED postgres_cluster
                                  ENVIRONMENT BUDGET_TEST_STORE=postgresql)
endfunction()

# A test binary that needs the cluster whatever the store under test (the
# PostgreSQL store's own tests).
function(budget_postgres_test NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${NAME} ${ARG_SOURCES})
  target_compile_options(${NAME} PRIVATE ${BUDGET_TEST_COMPILE_OPTIONS})
  target_link_libraries(${NAME} PRIVATE ${ARG_LIBS} postgres_database
                        GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${NAME} DISCOVERY_MODE PRE_TEST
                       WORKING_DIRECTORY ${BUDGET_SOURCE_DIR}
                       PROPERTIES FIXTURES_REQUIRED postgres_cluster)
endfunction()
