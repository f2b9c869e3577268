/* Time zones from the system's TZif files (RFC 8536), so that a store's calendar day and
 * local times are right whatever its zone. Parsing is pure: the caller reads the file
 * (see store/zoneinfo.c) and hands the bytes over. */
#ifndef DMS_CORE_TZ_H
#define DMS_CORE_TZ_H

#include <stddef.h>
#include <stdint.h>

struct tz;

/* Parses a TZif file (version 1, 2, 3 or 4; the 64-bit section is used when present) and its
 * POSIX TZ footer, which governs instants after the last transition (e.g. "CST-8",
 * "CET-1CEST,M3.5.0,M10.5.0/3"). Returns NULL on malformed input or out of memory. */
struct tz *tz_parse(const unsigned char *buf, size_t len);

/* Parses a bare POSIX TZ string such as "CST-8" (used for tests and as a fallback). */
struct tz *tz_parse_posix(const char *spec);

void tz_free(struct tz *tz);

/* Offset from UTC in seconds (east positive: Asia/Shanghai = +28800) at the UTC instant
 * `utc` (seconds since the epoch). */
int32_t tz_offset_at(const struct tz *tz, int64_t utc);

/* UTC instant -> local wall-clock seconds since the epoch (utc + offset). */
int64_t tz_to_local(const struct tz *tz, int64_t utc);

/* Local wall-clock seconds since the epoch -> UTC instant. For a local time that occurs twice
 * (DST ends) the earlier instant is returned; for one that does not exist (DST starts) the
 * instant computed with the offset in force before the gap. */
int64_t tz_to_utc(const struct tz *tz, int64_t local);

#endif
