// Whether this run is CI's emulated arm64 pass (.ci/run sets
// THREADED_IO_EMULATOR=qemu for it). Used only to skip what the emulator
// itself cannot show, each skip saying why; never to change what a test
// asserts.
export const underQemu = process.env.THREADED_IO_EMULATOR === "qemu";
