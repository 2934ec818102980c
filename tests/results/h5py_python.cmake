# LOKALMAT_H5PY_PYTHON: a Python 3 that can import h5py and numpy, for the tests that read
# result files. Python3_EXECUTABLE when it can (the presets point it at /usr/bin/python3);
# otherwise Debian's /usr/bin/python3 (python3-h5py), since the python3 first on PATH may
# be a separate install without h5py.
if(NOT DEFINED LOKALMAT_H5PY_PYTHON)
  set(_lokalmat_h5py_python "")
  foreach(_py IN ITEMS "${Python3_EXECUTABLE}" /usr/bin/python3)
    if(_py AND EXISTS "${_py}" AND NOT _lokalmat_h5py_python)
      execute_process(COMMAND "${_py}" -c "import h5py, numpy"
                      RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
      if(_rc EQUAL 0)
        set(_lokalmat_h5py_python "${_py}")
      endif()
    endif()
  endforeach()
  if(NOT _lokalmat_h5py_python)
    message(WARNING "no Python 3 with h5py found (install python3-h5py); the results and cli tests will fail")
    set(_lokalmat_h5py_python "${Python3_EXECUTABLE}")
  elseif(NOT _lokalmat_h5py_python STREQUAL Python3_EXECUTABLE)
    message(STATUS "tests: ${Python3_EXECUTABLE} has no h5py; using ${_lokalmat_h5py_python}")
  endif()
  set(LOKALMAT_H5PY_PYTHON "${_lokalmat_h5py_python}" CACHE FILEPATH "Python 3 with h5py for the result-file tests")
endif()
