# One suite's CI smoke test (ctest -L bench_smoke): run every benchmark of SUITE once, with a
# tiny minimum time, write its JSON to OUT, then `bench_compare --check OUT`. It proves that
# each benchmark runs and passes its own behaviour checks; it never looks at a time.
# Usage: cmake -DSUITE=path -DCHECK=path-to-bench_compare -DOUT=file.json -P smoke.cmake
foreach(var SUITE CHECK OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "smoke.cmake: -D${var}=... is required")
  endif()
endforeach()
get_filename_component(out_dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${out_dir}")
file(REMOVE "${OUT}")
execute_process(
  COMMAND "${SUITE}" --benchmark_min_time=0.001 "--benchmark_out=${OUT}"
          --benchmark_out_format=json
  RESULT_VARIABLE run_result)
if(NOT run_result EQUAL 0)
  message(FATAL_ERROR "${SUITE} exited with ${run_result}")
endif()
execute_process(COMMAND "${CHECK}" --check "${OUT}" RESULT_VARIABLE check_result)
if(NOT check_result EQUAL 0)
  message(FATAL_ERROR "bench_compare --check ${OUT} exited with ${check_result}")
endif()
