/* hangar-domain-edit.c: definitions the engine changes itself
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A HangarDomain is immutable: an edit copies the document, changes the copy and
 * parses it again, so the new definition passes every check a defined one does.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "hangar-domain-private.h"

static void
remove_node (xmlNode *node)
{
  /* The indentation before the element goes with it. */
  if (node->prev != NULL && xmlNodeIsText (node->prev))
    {
      xmlNode *space = node->prev;
      xmlUnlinkNode (space);
      xmlFreeNode (space);
    }
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

static void
remove_children (xmlNode    *parent,
                 const char *name,
                 const char *attribute,
                 const char *value)
{
  xmlNode *next;

  for (xmlNode *n = parent ? parent->children : NULL; n != NULL; n = next)
    {
      g_autofree char *actual = NULL;

      next = n->next;
      if (!hangar_xml_node_is (n, name))
        continue;
      actual = attribute ? hangar_xml_attr (n, attribute) : NULL;
      if (attribute == NULL || g_strcmp0 (actual, value) == 0)
        remove_node (n);
    }
}

static void
remove_metadata_install (xmlNode *root)
{
  xmlNode *metadata = hangar_xml_child (root, "metadata");
  xmlNode *next;

  for (xmlNode *n = metadata ? metadata->children : NULL; n != NULL; n = next)
    {
      next = n->next;
      if (n->type == XML_ELEMENT_NODE && n->ns != NULL &&
          g_strcmp0 ((const char *) n->ns->href, HANGAR_METADATA_NS) == 0 &&
          g_str_equal ((const char *) n->name, "install"))
        remove_node (n);
    }
}

/* Ejects every CD-ROM: its <source> goes, the drive stays, empty. Boot from the disk. */
static void
finish_cdrom_install (xmlNode *root)
{
  xmlNode *devices = hangar_xml_child (root, "devices");
  xmlNode *os = hangar_xml_child (root, "os");

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *device = NULL;

      if (!hangar_xml_node_is (n, "disk"))
        continue;
      device = hangar_xml_attr (n, "device");
      if (g_strcmp0 (device, "cdrom") != 0)
        continue;
      remove_children (n, "source", NULL, NULL);
      remove_children (n, "boot", NULL, NULL);
    }
  remove_children (os, "boot", "dev", "cdrom");
}

/* The installer's kernel and initrd booted once; now the disk boots. */
static void
finish_kernel_install (xmlNode *root)
{
  xmlNode *os = hangar_xml_child (root, "os");

  remove_children (os, "kernel", NULL, NULL);
  remove_children (os, "initrd", NULL, NULL);
  remove_children (os, "cmdline", NULL, NULL);
}

/**
 * hangar_domain_finish_install:
 *
 * Returns: the definition as it is once the OS is installed: for the "cdrom" phase
 * the CD-ROM drives empty and the disk first to boot; for "kernel" no installer
 * kernel, initrd or arguments. The install phase is gone from <metadata>.
 */
HangarDomain *
hangar_domain_finish_install (HangarDomain  *self,
                              GError       **error)
{
  const HangarDomainDef *def = hangar_domain_get_def (self);
  xmlDoc *copy;
  xmlNode *root;
  xmlChar *buffer = NULL;
  int size = 0;
  HangarDomain *result;

  g_return_val_if_fail (self != NULL, NULL);

  copy = xmlCopyDoc (hangar_domain_get_doc (self), 1);
  root = xmlDocGetRootElement (copy);
  remove_metadata_install (root);
  if (g_strcmp0 (def->install_phase, "cdrom") == 0)
    finish_cdrom_install (root);
  else if (g_strcmp0 (def->install_phase, "kernel") == 0)
    finish_kernel_install (root);
  /* An empty <metadata> is valid, and harmless. */
  xmlDocDumpMemory (copy, &buffer, &size);
  result = hangar_domain_parse ((const char *) buffer, size, error);
  xmlFree (buffer);
  xmlFreeDoc (copy);
  return result;
}

/* Whether @node is the device @wanted names: a disk by its target, a NIC by its
 * MAC address, anything else by its element name, type and model. */
static gboolean
device_matches (xmlNode *node,
                xmlNode *wanted)
{
  const char *name = (const char *) wanted->name;
  g_autofree char *a = NULL, *b = NULL;

  if (!hangar_xml_node_is (node, name))
    return FALSE;
  if (g_str_equal (name, "disk"))
    {
      a = hangar_xml_attr (hangar_xml_child (node, "target"), "dev");
      b = hangar_xml_attr (hangar_xml_child (wanted, "target"), "dev");
      return b != NULL && g_strcmp0 (a, b) == 0;
    }
  if (g_str_equal (name, "hostdev"))
    {
      /* A USB host device by its ids: the same ids however they are spelled (0x1209, 1209). */
      xmlNode *sa = hangar_xml_child (node, "source");
      xmlNode *sb = hangar_xml_child (wanted, "source");
      g_autofree char *va = hangar_xml_attr (hangar_xml_child (sa, "vendor"), "id");
      g_autofree char *vb = hangar_xml_attr (hangar_xml_child (sb, "vendor"), "id");
      g_autofree char *pa = hangar_xml_attr (hangar_xml_child (sa, "product"), "id");
      g_autofree char *pb = hangar_xml_attr (hangar_xml_child (sb, "product"), "id");

      return va != NULL && vb != NULL && pa != NULL && pb != NULL &&
             g_ascii_strtoull (va, NULL, 16) == g_ascii_strtoull (vb, NULL, 16) &&
             g_ascii_strtoull (pa, NULL, 16) == g_ascii_strtoull (pb, NULL, 16);
    }
  if (g_str_equal (name, "interface"))
    {
      a = hangar_xml_attr (hangar_xml_child (node, "mac"), "address");
      b = hangar_xml_attr (hangar_xml_child (wanted, "mac"), "address");
      return b != NULL && a != NULL && g_ascii_strcasecmp (a, b) == 0;
    }
  {
    g_autofree char *type_a = hangar_xml_attr (node, "type");
    g_autofree char *type_b = hangar_xml_attr (wanted, "type");
    g_autofree char *model_a = hangar_xml_attr (node, "model");
    g_autofree char *model_b = hangar_xml_attr (wanted, "model");

    return (type_b == NULL || g_strcmp0 (type_a, type_b) == 0) &&
           (model_b == NULL || g_strcmp0 (model_a, model_b) == 0);
  }
}

/**
 * hangar_domain_edit_device:
 * @device_xml: one device element, as in <devices>
 * @remove: FALSE to add the device, TRUE to remove the one it names
 *
 * Returns: the XML of @self with the device added after the last of its kind, or
 * without the device @device_xml names (see device_matches()). The result is not
 * checked: it goes through the same checks as any new definition.
 */
char *
hangar_domain_edit_device (HangarDomain  *self,
                           const char    *device_xml,
                           gboolean       remove,
                           GError       **error)
{
  static const char * const devices[] = {
    "disk", "interface", "serial", "console", "input", "channel", "graphics", "video",
    "sound", "rng", "controller", "memballoon", "audio", "hostdev", "redirdev", NULL
  };
  xmlDoc *fragment, *copy;
  xmlNode *wanted, *parent, *last = NULL, *match = NULL;
  xmlChar *buffer = NULL;
  int size = 0;
  char *result;

  fragment = xmlReadMemory (device_xml, strlen (device_xml), "device.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  wanted = fragment ? xmlDocGetRootElement (fragment) : NULL;
  if (wanted == NULL)
    {
      xmlFreeDoc (fragment);
      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                          _("The device is not well-formed XML."));
      return NULL;
    }
  if (!g_strv_contains (devices, (const char *) wanted->name))
    {
      hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                          _("<%s> is not a device Hangar knows; use <disk>, <interface>, "
                            "<input>, <graphics>, <sound>, <serial>, <channel>, <rng>, "
                            "<video>, <controller>, <hostdev> or <redirdev>."),
                          (const char *) wanted->name);
      xmlFreeDoc (fragment);
      return NULL;
    }

  copy = xmlCopyDoc (hangar_domain_get_doc (self), 1);
  parent = hangar_xml_child (xmlDocGetRootElement (copy), "devices");
  if (parent == NULL)
    parent = xmlNewChild (xmlDocGetRootElement (copy), NULL, (const xmlChar *) "devices", NULL);
  for (xmlNode *n = parent->children; n != NULL; n = n->next)
    {
      if (hangar_xml_node_is (n, (const char *) wanted->name))
        last = n;
      if (match == NULL && device_matches (n, wanted))
        match = n;
    }

  if (remove && match == NULL)
    {
      g_autofree char *target = hangar_xml_attr (hangar_xml_child (wanted, "target"), "dev");
      g_autofree char *mac = hangar_xml_attr (hangar_xml_child (wanted, "mac"), "address");

      if (hangar_xml_node_is (wanted, "disk"))
        hangar_domain_fail (error, HANGAR_ERROR_NOT_FOUND, _("“%s” has no disk %s."),
                            hangar_domain_get_name (self), target ? target : _("(no target)"));
      else if (hangar_xml_node_is (wanted, "interface"))
        hangar_domain_fail (error, HANGAR_ERROR_NOT_FOUND,
                            _("“%s” has no network card with the MAC address %s."),
                            hangar_domain_get_name (self), mac ? mac : _("(none given)"));
      else
        hangar_domain_fail (error, HANGAR_ERROR_NOT_FOUND,
                            _("“%s” has no such <%s> device."), hangar_domain_get_name (self),
                            (const char *) wanted->name);
      xmlFreeDoc (fragment);
      xmlFreeDoc (copy);
      return NULL;
    }
  if (remove)
    remove_node (match);
  else
    {
      xmlNode *node = xmlDocCopyNode (wanted, copy, 1);

      if (last != NULL)
        xmlAddNextSibling (last, node);
      else
        xmlAddChild (parent, node);
    }

  xmlDocDumpMemory (copy, &buffer, &size);
  result = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  xmlFreeDoc (copy);
  xmlFreeDoc (fragment);
  return result;
}
