/* hangar-domain-private.h: helpers shared by the hangar-domain*.c files
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-domain.h"
#include "hangar-error.h"

G_BEGIN_DECLS

gboolean hangar_domain_parse_memory  (const char       *what,
                                      const char       *text,
                                      const char       *unit,
                                      guint64          *out_kib,
                                      GError          **error);
gboolean hangar_domain_check_devices (const HangarDomainDef *def,
                                      GError               **error);

/* Sets @error and returns FALSE, so a check reads `return hangar_domain_fail (...)`. */
gboolean hangar_domain_fail          (GError          **error,
                                      HangarError       code,
                                      const char       *format,
                                      ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
