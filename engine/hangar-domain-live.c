/* hangar-domain-live.c: the edits that keep a running machine's live.xml true
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * When a device is plugged in or out of a running QEMU, or a medium or link changes,
 * the definition the machine runs (its live.xml) changes the same way. Devices in a
 * running machine carry <alias name>, QEMU's id for them, so that ids stay put when
 * a device before them goes. Saved definitions carry none: aliases are stripped.
 * Like every edit, each copies the document, changes the copy and parses it again.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "hangar-domain-private.h"

typedef gboolean (*EditFunc) (xmlNode   *devices,
                              gpointer   data,
                              GError   **error);

static HangarDomain *
edit_copy (HangarDomain  *self,
           EditFunc       func,
           gpointer       data,
           GError       **error)
{
  xmlDoc *copy = xmlCopyDoc (hangar_domain_get_doc (self), 1);
  xmlNode *devices = hangar_xml_child (xmlDocGetRootElement (copy), "devices");
  xmlChar *buffer = NULL;
  int size = 0;
  HangarDomain *result = NULL;

  if (devices == NULL)
    devices = xmlNewChild (xmlDocGetRootElement (copy), NULL, (const xmlChar *) "devices", NULL);
  if (func (devices, data, error))
    {
      xmlDocDumpMemory (copy, &buffer, &size);
      result = hangar_domain_parse ((const char *) buffer, size, error);
      xmlFree (buffer);
    }
  xmlFreeDoc (copy);
  return result;
}

/* The @index-th <@name> child of @devices, in document order as the parser counts. */
static xmlNode *
nth_device (xmlNode    *devices,
            const char *name,
            guint       index)
{
  for (xmlNode *n = devices->children; n != NULL; n = n->next)
    {
      if (hangar_xml_node_is (n, name) && index-- == 0)
        return n;
    }
  return NULL;
}

static void
remove_child (xmlNode    *parent,
              const char *name)
{
  xmlNode *child;

  while ((child = hangar_xml_child (parent, name)) != NULL)
    {
      xmlUnlinkNode (child);
      xmlFreeNode (child);
    }
}

static void
set_alias (xmlNode    *device,
           const char *alias)
{
  xmlNode *node;

  remove_child (device, "alias");
  if (alias == NULL)
    return;
  node = xmlNewChild (device, NULL, (const xmlChar *) "alias", NULL);
  xmlSetProp (node, (const xmlChar *) "name", (const xmlChar *) alias);
}

static gboolean
pin_aliases (xmlNode   *devices,
             gpointer   data,
             GError   **error)
{
  guint disks = 0, nets = 0;

  for (xmlNode *n = devices->children; n != NULL; n = n->next)
    {
      g_autofree char *alias = NULL;
      gboolean disk = hangar_xml_node_is (n, "disk");
      gboolean net = hangar_xml_node_is (n, "interface");
      guint index;

      if (!disk && !net)
        continue;
      index = disk ? disks++ : nets++;
      if (hangar_xml_child (n, "alias") != NULL)
        continue;
      alias = g_strdup_printf (disk ? "disk%u" : "net%u", index);
      set_alias (n, alias);
    }
  return TRUE;
}

/**
 * hangar_domain_pin_aliases:
 *
 * Returns: @self with an <alias> on every disk and NIC that has none: the id QEMU
 * was started with ("disk2" for the third disk).
 */
HangarDomain *
hangar_domain_pin_aliases (HangarDomain  *self,
                           GError       **error)
{
  return edit_copy (self, pin_aliases, NULL, error);
}

static gboolean
strip_aliases (xmlNode   *devices,
               gpointer   data,
               GError   **error)
{
  for (xmlNode *n = devices->children; n != NULL; n = n->next)
    {
      if (n->type == XML_ELEMENT_NODE)
        remove_child (n, "alias");
    }
  return TRUE;
}

/**
 * hangar_domain_strip_aliases:
 *
 * Returns: @self without any <alias>, as a saved definition must be, or a new
 * reference to @self when it has none.
 */
HangarDomain *
hangar_domain_strip_aliases (HangarDomain  *self,
                             GError       **error)
{
  xmlNode *devices = hangar_xml_child (xmlDocGetRootElement (hangar_domain_get_doc (self)),
                                       "devices");
  gboolean any = FALSE;

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL && !any; n = n->next)
    any = n->type == XML_ELEMENT_NODE && hangar_xml_child (n, "alias") != NULL;
  if (!any)
    return hangar_domain_ref (self);
  return edit_copy (self, strip_aliases, NULL, error);
}

typedef struct
{
  HangarDomain *from;
  const char   *element;
  guint         from_index;
  guint         index;
  const char   *alias;
} DeviceEdit;

static gboolean
fail_no_device (GError     **error,
                const char  *element,
                guint        index)
{
  return hangar_domain_fail (error, HANGAR_ERROR_NOT_FOUND,
                             _("The definition has no <%s> number %u."), element, index + 1);
}

static gboolean
add_device (xmlNode   *devices,
            gpointer   data,
            GError   **error)
{
  DeviceEdit *edit = data;
  xmlNode *from_devices = hangar_xml_child (xmlDocGetRootElement (
                                              hangar_domain_get_doc (edit->from)), "devices");
  xmlNode *source = from_devices ? nth_device (from_devices, edit->element, edit->from_index) :
                                   NULL;
  xmlNode *copy, *last = NULL;

  if (source == NULL)
    return fail_no_device (error, edit->element, edit->from_index);
  copy = xmlDocCopyNode (source, devices->doc, 1);
  set_alias (copy, edit->alias);
  /* After the last of its kind, so the ones before keep their places. */
  for (xmlNode *n = devices->children; n != NULL; n = n->next)
    {
      if (hangar_xml_node_is (n, edit->element))
        last = n;
    }
  if (last != NULL)
    xmlAddNextSibling (last, copy);
  else
    xmlAddChild (devices, copy);
  return TRUE;
}

/**
 * hangar_domain_add_device:
 * @from: the definition that has the device
 * @element: "disk" or "interface"
 * @from_index: which of @from's
 * @alias: the device's id in QEMU
 *
 * Returns: @self with a copy of that device, after its last device of the kind.
 */
HangarDomain *
hangar_domain_add_device (HangarDomain  *self,
                          HangarDomain  *from,
                          const char    *element,
                          guint          from_index,
                          const char    *alias,
                          GError       **error)
{
  DeviceEdit edit = { from, element, from_index, 0, alias };

  return edit_copy (self, add_device, &edit, error);
}

static gboolean
remove_device (xmlNode   *devices,
               gpointer   data,
               GError   **error)
{
  DeviceEdit *edit = data;
  xmlNode *node = nth_device (devices, edit->element, edit->index);

  if (node == NULL)
    return fail_no_device (error, edit->element, edit->index);
  xmlUnlinkNode (node);
  xmlFreeNode (node);
  return TRUE;
}

/**
 * hangar_domain_remove_device:
 *
 * Returns: @self without its @index-th <@element>.
 */
HangarDomain *
hangar_domain_remove_device (HangarDomain  *self,
                             const char    *element,
                             guint          index,
                             GError       **error)
{
  DeviceEdit edit = { NULL, element, 0, index, NULL };

  return edit_copy (self, remove_device, &edit, error);
}

static void
replace_child (xmlNode *device,
               xmlNode *from_device,
               const char *name)
{
  xmlNode *from_child = hangar_xml_child (from_device, name);

  remove_child (device, name);
  if (from_child != NULL)
    xmlAddChild (device, xmlDocCopyNode (from_child, device->doc, 1));
}

static gboolean
copy_parts (xmlNode   *devices,
            gpointer   data,
            GError   **error)
{
  DeviceEdit *edit = data;
  xmlNode *from_devices = hangar_xml_child (xmlDocGetRootElement (
                                              hangar_domain_get_doc (edit->from)), "devices");
  xmlNode *from = from_devices ? nth_device (from_devices, edit->element, edit->from_index) :
                                 NULL;
  xmlNode *node = nth_device (devices, edit->element, edit->index);

  if (from == NULL)
    return fail_no_device (error, edit->element, edit->from_index);
  if (node == NULL)
    return fail_no_device (error, edit->element, edit->index);
  if (g_str_equal (edit->element, "disk"))
    {
      /* The medium: its file and its format. */
      g_autofree char *format = hangar_xml_attr (hangar_xml_child (from, "driver"), "type");
      xmlNode *driver = hangar_xml_child (node, "driver");

      replace_child (node, from, "source");
      if (format != NULL && driver != NULL)
        xmlSetProp (driver, (const xmlChar *) "type", (const xmlChar *) format);
    }
  else
    replace_child (node, from, "link");
  return TRUE;
}

/**
 * hangar_domain_take_state:
 * @element: "disk" (its medium: source and format) or "interface" (its link state)
 * @index: the device in @self
 * @from: the definition to take it from
 * @from_index: the device in @from
 *
 * Returns: @self with that device's medium or link state as @from has it.
 */
HangarDomain *
hangar_domain_take_state (HangarDomain  *self,
                          const char    *element,
                          guint          index,
                          HangarDomain  *from,
                          guint          from_index,
                          GError       **error)
{
  DeviceEdit edit = { from, element, from_index, index, NULL };

  return edit_copy (self, copy_parts, &edit, error);
}

static gboolean
set_current_memory (xmlNode   *devices,
                    gpointer   data,
                    GError   **error)
{
  xmlNode *root = devices->parent;
  xmlNode *current = hangar_xml_child (root, "currentMemory");
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, *(guint64 *) data);

  if (current == NULL)
    {
      xmlNode *memory = hangar_xml_child (root, "memory");
      current = xmlNewDocNode (root->doc, NULL, (const xmlChar *) "currentMemory", NULL);
      if (memory != NULL)
        xmlAddNextSibling (memory, current);
      else
        xmlAddChild (root, current);
    }
  xmlNodeSetContent (current, (const xmlChar *) text);
  xmlSetProp (current, (const xmlChar *) "unit", (const xmlChar *) "KiB");
  return TRUE;
}

/**
 * hangar_domain_set_current_memory:
 *
 * Returns: @self with <currentMemory> @kib, the balloon's target.
 */
HangarDomain *
hangar_domain_set_current_memory (HangarDomain  *self,
                                  guint64        kib,
                                  GError       **error)
{
  return edit_copy (self, set_current_memory, &kib, error);
}

static gboolean
set_vcpus_current (xmlNode   *devices,
                   gpointer   data,
                   GError   **error)
{
  xmlNode *vcpu = hangar_xml_child (devices->parent, "vcpu");
  g_autofree char *text = g_strdup_printf ("%u", *(guint *) data);

  if (vcpu == NULL)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                               _("The definition has no <vcpu>."));
  xmlSetProp (vcpu, (const xmlChar *) "current", (const xmlChar *) text);
  return TRUE;
}

/**
 * hangar_domain_set_vcpus_current:
 *
 * Returns: @self with <vcpu current> @count.
 */
HangarDomain *
hangar_domain_set_vcpus_current (HangarDomain  *self,
                                 guint          count,
                                 GError       **error)
{
  return edit_copy (self, set_vcpus_current, &count, error);
}
