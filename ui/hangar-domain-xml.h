/* hangar-domain-xml.h: reading and editing a machine's definition, for the details pane
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure functions over libxml2's tree of libvirt domain XML: no GTK, no D-Bus. The
 * engine checks what it is sent; these only find and write the elements the pages
 * edit, and name the hardware as the sidebar lists it. Unit-tested in
 * tests/ui/test-domain-xml.c.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

/* One entry of the hardware sidebar. */
typedef struct
{
  char    *key;    /* stable across reloads: "overview", "disk:vda", "nic:52:54:00:12:34:56" */
  char    *title;  /* "Disk vda", "CD-ROM sdc", "NIC :34:56" */
  char    *icon;   /* a symbolic icon name */
  char    *kind;   /* which page edits it: "overview", "disk", "nic", "xml", ... */
} HangarDomainItem;

void       hangar_domain_item_free          (HangarDomainItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HangarDomainItem, hangar_domain_item_free)

xmlDoc    *hangar_domain_xml_parse          (const char  *xml,
                                             GError     **error);
char      *hangar_domain_xml_to_string      (xmlDoc      *doc);
GPtrArray *hangar_domain_xml_items          (xmlDoc      *doc);
xmlNode   *hangar_domain_xml_find           (xmlDoc      *doc,
                                             const char  *key);
char      *hangar_domain_xml_device_key     (xmlNode     *device);
const char *hangar_domain_xml_group_key     (xmlNode     *device);
xmlNode   *hangar_domain_xml_devices        (xmlDoc      *doc);
const char *hangar_domain_xml_console_kind  (xmlDoc      *doc);

xmlNode   *hangar_domain_xml_child          (xmlNode     *parent,
                                             const char  *name);
xmlNode   *hangar_domain_xml_ensure_child   (xmlNode     *parent,
                                             const char  *name);
void       hangar_domain_xml_remove_children (xmlNode    *parent,
                                             const char  *name);
char      *hangar_domain_xml_child_text     (xmlNode     *parent,
                                             const char  *name);
void       hangar_domain_xml_set_child_text (xmlNode     *parent,
                                             const char  *name,
                                             const char  *text);
char      *hangar_domain_xml_attr           (xmlNode     *node,
                                             const char  *name);
void       hangar_domain_xml_set_attr       (xmlNode     *node,
                                             const char  *name,
                                             const char  *value);
char      *hangar_domain_xml_child_attr     (xmlNode     *parent,
                                             const char  *child,
                                             const char  *name);
gboolean   hangar_domain_xml_is             (xmlNode     *node,
                                             const char  *name);

guint64    hangar_domain_xml_get_memory_kib (xmlNode     *root,
                                             const char  *element);
void       hangar_domain_xml_set_memory_kib (xmlNode     *root,
                                             const char  *element,
                                             guint64      kib);

GPtrArray *hangar_domain_xml_bootable       (xmlDoc      *doc);
guint      hangar_domain_xml_boot_order     (xmlNode     *device);
void       hangar_domain_xml_set_boot_order (xmlDoc      *doc,
                                             GPtrArray   *devices);
char      *hangar_domain_xml_free_target    (xmlDoc      *doc,
                                             const char  *bus);
char      *hangar_domain_xml_device_title   (xmlNode     *device);
int        hangar_domain_xml_error_line     (const char  *message);
gboolean   hangar_domain_xml_mac_is_valid   (const char  *mac);
xmlNode   *hangar_domain_xml_add_device     (xmlDoc      *doc,
                                             const char  *fragment,
                                             GError     **error);

G_END_DECLS
