#pragma once
// The seal of a result file: a checksum over everything lokalmat wrote, checked before HDF5
// reads a byte.
//
// Why: HDF5 checks little of what it reads. Variable-length strings live in the file's
// global heap, which has no checksum in any HDF5 file format, and the 1.10 library follows
// a damaged heap or B-tree pointer wherever it points: a flipped byte can crash a reader
// (SIGSEGV) instead of failing. Structural checks after opening (results/h5_util.h) cannot
// catch that, so every file lokalmat writes is sealed and every reader verifies the seal
// first.
//
// How: every HDF5 file lokalmat writes reserves a userblock of kSealBytes (512) at its start
// (H5Pset_userblock on the file-creation property list). HDF5 and h5py skip a userblock: the
// file's superblock starts at byte 512. When the file is complete and closed, its first 512
// bytes are overwritten with the seal, plain text padded with NUL bytes:
//
//   lokalmat-seal\n                      magic
//   version 1\n                          seal format
//   bytes 00000000000000123456\n         the file's length in bytes (20 digits)
//   crc64-xz 0123456789abcdef\n          CRC-64/XZ (ECMA-182, as in xz) of bytes [512, end)
//
// CRC-64 is from liblzma (xz-utils): about 0.9 GB/s here, against 0.05 GB/s for Boost 1.74's
// crc_optimal<64>, so verifying a 20 MB file costs about 20 ms.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace lokalmat {

// the userblock every lokalmat HDF5 file reserves for its seal (bytes; a power of two >= 512, as
// HDF5 requires)
inline constexpr std::size_t kSealBytes = 512;

// A file the user named that is not a valid lokalmat result file for the command: damaged,
// changed after lokalmat wrote it, foreign, or a .partial the user did not ask for. Bad input
// (exit 2), unlike a failing disk (std::runtime_error, exit 1). The message names the file.
class ResultFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Rethrow the exception in flight with "path: " before its message (unless it starts so
// already), keeping ResultFileError a ResultFileError; anything else becomes a runtime_error.
[[noreturn]] void rethrow_naming(const std::string& path);

// whether a reader accepts a file whose writer did not finish it (a run's .partial, a sweep
// file with complete = 0): only when the user asks (--partial)
enum class PartialFiles { refuse, accept };

// what verify_seal found
enum class SealState {
  sealed,        // the seal matches: the bytes are the ones lokalmat wrote
  unsealed,      // HDF5 at byte 0, no userblock: an older lokalmat file or a foreign one (h5py)
  never_sealed,  // our userblock, still all zero: the writer stopped before closing the file (killed)
};

// Seal a complete HDF5 file image in memory: `image` is the whole file, its first kSealBytes the
// reserved userblock (HDF5 signature at byte 512); those bytes are overwritten.
// Throws std::invalid_argument when the image has no such userblock.
void seal_image(std::span<std::byte> image);
// The bytes of a sealed file from an image HDF5 built in memory (H5Fget_file_image of a file
// created with h5::sealed_file_creation()): HDF5 1.10 leaves the userblock out of the image
// (its superblock is at byte 0), so the userblock is put in front, then sealed; an image that
// holds the userblock already is sealed as it is.
std::vector<std::byte> sealed_file_bytes(std::span<const std::byte> hdf5_image);
// the same for a complete, closed file on disk; throws std::runtime_error naming the path
void seal_file(const std::string& path);

// Verify a file before any HDF5 call opens it. Throws ResultFileError naming the path when the
// seal is broken (the file is damaged or changed after lokalmat wrote it, or has another
// program's userblock), or when the file is not HDF5; std::runtime_error when it cannot be read.
SealState verify_seal(const std::string& path);

}  // namespace lokalmat
