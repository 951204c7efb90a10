/* hangar-domain-firmware.c: <os> firmware (BIOS or UEFI) and Hangar's <metadata>
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * UEFI is OVMF from Debian's ovmf package, as libvirt writes it: either
 * <os firmware='efi'> (with <firmware><feature name='secure-boot'/> for Secure Boot),
 * the files then chosen here, or an explicit <loader type='pflash'> and <nvram>.
 * What is chosen is not written into the document: the definition says what the
 * user said, the typed view what runs.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hangar-domain-private.h"

static gboolean
parse_yes_no (const char *what,
              const char *value,
              gboolean   *out,
              GError    **error)
{
  if (value == NULL)
    return TRUE;
  if (g_str_equal (value, "yes"))
    *out = TRUE;
  else if (g_str_equal (value, "no"))
    *out = FALSE;
  else
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                               _("%s must be “yes” or “no”, not “%s”."), what, value);
  return TRUE;
}

/* <firmware><feature enabled='yes' name='secure-boot'/></firmware> */
static gboolean
parse_firmware_features (HangarDomainDef  *def,
                         xmlNode          *firmware,
                         GError          **error)
{
  for (xmlNode *n = firmware ? firmware->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *name = NULL;
      g_autofree char *enabled = NULL;
      gboolean on = FALSE;

      if (!hangar_xml_node_is (n, "feature"))
        continue;
      name = hangar_xml_attr (n, "name");
      enabled = hangar_xml_attr (n, "enabled");
      if (!parse_yes_no ("<feature enabled>", enabled, &on, error))
        return FALSE;
      if (g_strcmp0 (name, "secure-boot") == 0)
        def->secure_boot = on;
      else if (g_strcmp0 (name, "enrolled-keys") == 0 && !on)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("Hangar’s Secure Boot firmware has Microsoft’s keys enrolled; "
                       "remove <feature enabled='no' name='enrolled-keys'/>."));
    }
  return TRUE;
}

/**
 * hangar_domain_parse_firmware:
 * @os: the <os> element
 *
 * Fills def->firmware, loader, nvram, nvram_template and secure_boot.
 */
gboolean
hangar_domain_parse_firmware (HangarDomainDef  *def,
                              xmlNode          *os,
                              GError          **error)
{
  xmlNode *loader = hangar_xml_child (os, "loader");
  xmlNode *nvram = hangar_xml_child (os, "nvram");
  g_autofree char *firmware = hangar_xml_attr (os, "firmware");

  if (firmware != NULL && !g_str_equal (firmware, "bios") && !g_str_equal (firmware, "efi"))
    return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                 _("The firmware “%s” is not supported; use bios or efi."), firmware);
  if (!parse_firmware_features (def, hangar_xml_child (os, "firmware"), error))
    return FALSE;

  if (loader != NULL)
    {
      g_autofree char *type = hangar_xml_attr (loader, "type");
      g_autofree char *readonly = hangar_xml_attr (loader, "readonly");
      g_autofree char *secure = hangar_xml_attr (loader, "secure");
      gboolean is_readonly = TRUE;
      gboolean is_secure = def->secure_boot;

      if (g_strcmp0 (type, "pflash") != 0)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("Hangar loads UEFI firmware as flash (<loader type='pflash'>), not "
                       "type='%s'."), type ? type : "rom");
      if (!parse_yes_no ("<loader readonly>", readonly, &is_readonly, error) ||
          !parse_yes_no ("<loader secure>", secure, &is_secure, error))
        return FALSE;
      if (!is_readonly)
        return hangar_domain_fail (error, HANGAR_ERROR_NOT_SUPPORTED,
                     _("The UEFI code must be read-only: use <loader readonly='yes'>; "
                       "variables go in <nvram>."));
      def->loader = hangar_xml_text (loader);
      if (def->loader != NULL)
        g_strstrip (def->loader);
      if (def->loader == NULL || *def->loader == '\0')
        {
          /* libvirt allows an empty loader with firmware='efi': the files are chosen. */
          g_clear_pointer (&def->loader, g_free);
          if (g_strcmp0 (firmware, "efi") != 0)
            return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                         _("<loader> needs the path of the UEFI code, such as %s."),
                         HANGAR_OVMF_CODE);
        }
      else if (!hangar_domain_path_is_acceptable ("loader", def->loader, error))
        return FALSE;
      def->secure_boot = is_secure;
      if (firmware == NULL)
        firmware = g_strdup ("efi");
    }
  else if (nvram != NULL && g_strcmp0 (firmware, "efi") != 0)
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("<nvram> is the variable store of UEFI firmware: add firmware='efi' to "
                   "<os> or a <loader>."));

  def->firmware = g_strdup (firmware ? firmware : "bios");
  if (g_str_equal (def->firmware, "bios"))
    {
      if (def->secure_boot)
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("Secure Boot needs UEFI firmware: add firmware='efi' to <os>."));
      return TRUE;
    }

  if (def->loader == NULL)
    def->loader = g_strdup (def->secure_boot ? HANGAR_OVMF_CODE_SECURE : HANGAR_OVMF_CODE);
  if (nvram != NULL)
    {
      def->nvram = hangar_xml_text (nvram);
      def->nvram_template = hangar_xml_attr (nvram, "template");
      if (def->nvram != NULL && *g_strstrip (def->nvram) == '\0')
        g_clear_pointer (&def->nvram, g_free);
      if (def->nvram != NULL && !hangar_domain_path_is_acceptable ("nvram", def->nvram, error))
        return FALSE;
      if (def->nvram_template != NULL &&
          !hangar_domain_path_is_acceptable ("nvram template", def->nvram_template, error))
        return FALSE;
    }
  if (def->nvram_template == NULL)
    def->nvram_template = g_strdup (def->secure_boot ? HANGAR_OVMF_VARS_SECURE :
                                                       HANGAR_OVMF_VARS);
  if (def->secure_boot && !g_str_equal (def->machine, "q35") &&
      !g_str_has_prefix (def->machine, "pc-q35-"))
    return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                 _("Secure Boot needs a q35 machine (its SMM keeps the variables safe); "
                   "the machine type is “%s”."), def->machine);
  return TRUE;
}

/* ---- <metadata> ------------------------------------------------------------------ */

static xmlNode *
child_in_namespace (xmlNode    *parent,
                    const char *ns,
                    const char *name)
{
  for (xmlNode *n = parent ? parent->children : NULL; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && n->ns != NULL &&
        g_strcmp0 ((const char *) n->ns->href, ns) == 0 &&
        g_str_equal ((const char *) n->name, name))
      return n;
  return NULL;
}

/**
 * hangar_domain_parse_metadata:
 * @root: <domain>
 *
 * Reads the libosinfo OS id (as libvirt tools write it) and Hangar's install phase.
 */
gboolean
hangar_domain_parse_metadata (HangarDomainDef  *def,
                              xmlNode          *root,
                              GError          **error)
{
  xmlNode *metadata = hangar_xml_child (root, "metadata");
  xmlNode *libosinfo = child_in_namespace (metadata, HANGAR_LIBOSINFO_NS, "libosinfo");
  xmlNode *install = child_in_namespace (metadata, HANGAR_METADATA_NS, "install");

  def->os_id = hangar_xml_attr (child_in_namespace (libosinfo, HANGAR_LIBOSINFO_NS, "os"), "id");
  if (install != NULL)
    {
      def->install_phase = hangar_xml_attr (install, "phase");
      if (!hangar_str_one_of (def->install_phase, (const char * const[]) { "cdrom", "kernel", NULL }))
        return hangar_domain_fail (error, HANGAR_ERROR_INVALID_CONFIG,
                     _("The install phase “%s” in <metadata> is unknown; use cdrom or kernel."),
                     def->install_phase ? def->install_phase : "");
    }
  return TRUE;
}
