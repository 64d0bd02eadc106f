#pragma once
// Typed exceptions for the process boundary (STYLE.md section 4).
//
// Inside core, data-dependent failures are values (Result<T>); exceptions are for
// I/O and for errors that end a whole job. main() maps each class to an exit code:
//   UsageError -> 2 (bad command line or study file shape)
//   InputError -> 3 (bad input data: the message is "file:line[:col]: reason")
//   Error, IoError -> 1 (runtime failure: unreadable/unwritable file, GDAL failure)

#include <stdexcept>
#include <string>

namespace hotspot {

// Base of every exception Hotspot throws on purpose.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// A file could not be opened, read or written (or a GDAL/SQLite call failed).
class IoError : public Error {
 public:
  explicit IoError(const std::string& what) : Error(what) {}
};

// The user asked for something impossible: wrong options, a study file with an
// unknown key. The message names the option or "file:line: key".
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& what) : Error(what) {}
};

// A whole input is unusable (not merely some rows): wrong header, not a police.uk
// file, no rows. The message is formatted like a compiler's: "file:line: reason".
class InputError : public Error {
 public:
  explicit InputError(const std::string& what) : Error(what) {}
};

}  // namespace hotspot
