/* hangar-domain-private.h: helpers shared by the hangar-domain*.c files
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#pragma once

#include "hangar-domain.h"
#include "hangar-error.h"

#include <libxml/tree.h>

G_BEGIN_DECLS

gboolean hangar_domain_parse_memory  (const char       *what,
                                      const char       *text,
                                      const char       *unit,
                                      guint64          *out_kib,
                                      GError          **error);
gboolean hangar_domain_check_devices (const HangarDomainDef *def,
                                      GError               **error);

/* libxml2 helpers: copies are g_malloc'd, NULL when absent. */
gboolean  hangar_xml_node_is     (xmlNode    *node,
                                  const char *name);
xmlNode  *hangar_xml_child       (xmlNode    *parent,
                                  const char *name);
char     *hangar_xml_attr        (xmlNode    *node,
                                  const char *name);
char     *hangar_xml_text        (xmlNode    *node);
char     *hangar_xml_child_text  (xmlNode    *parent,
                                  const char *name);
gboolean  hangar_str_one_of      (const char         *value,
                                  const char * const *allowed);

gboolean hangar_domain_path_is_acceptable (const char       *what,
                                           const char       *path,
                                           GError          **error);
gboolean hangar_domain_parse_device       (HangarDomainDef  *def,
                                           xmlNode          *node,
                                           GError          **error);
gboolean hangar_domain_parse_firmware     (HangarDomainDef  *def,
                                           xmlNode          *os,
                                           GError          **error);
gboolean hangar_domain_parse_metadata     (HangarDomainDef  *def,
                                           xmlNode          *root,
                                           GError          **error);
xmlDoc  *hangar_domain_get_doc            (HangarDomain     *self);

/* Sets @error and returns FALSE, so a check reads `return hangar_domain_fail (...)`. */
gboolean hangar_domain_fail          (GError          **error,
                                      HangarError       code,
                                      const char       *format,
                                      ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
